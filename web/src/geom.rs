//! Where an edge label goes: the point halfway along the edge's SVG path (by arc length, through
//! `studio::geometry::path_point`), so labels sit mid-edge and never cover an arrowhead.

/// The point halfway along a path.
pub fn path_midpoint(d: &str) -> Option<(f64, f64)> {
    studio::geometry::path_point(d, 0.5).map(|p| (p.x, p.y))
}

/// The end of a path (where its arrowhead points), for the retarget handle.
pub fn path_end(d: &str) -> Option<(f64, f64)> {
    studio::geometry::path_point(d, 1.0).map(|p| (p.x, p.y))
}
