//! The debugger's moves on the app state: time travel (the "History position" slider), Step and Continue that
//! move through already revealed events before revealing new ones, and playback of the virtual clock in scaled
//! real time (a timer reveals events one by one; Stop and Reset cancel it).

use crate::state::AppState;
use leptos::prelude::*;
use std::time::Duration;
use studio::replay::Replay;
use studio::run_view::playback::Speed;
use studio::run_view::{next_breakpoint, step_within};

/// Playback state shared by the run panel's controls.
#[derive(Clone, Copy)]
pub struct Playback {
    pub speed: RwSignal<Speed>,
    pub playing: RwSignal<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    /// Timestamps of every event of the run being played (known up front: the run is deterministic).
    stamps: StoredValue<Vec<i64>>,
}

impl Playback {
    pub fn new() -> Playback {
        Playback {
            speed: RwSignal::new(Speed::Instant),
            playing: RwSignal::new(false),
            timer: StoredValue::new(None),
            stamps: StoredValue::new(Vec::new()),
        }
    }

    /// Cancels the timer; the run stays paused where it is.
    pub fn stop(&self) {
        if let Some(t) = self.timer.get_value() {
            t.clear();
        }
        self.timer.set_value(None);
        self.playing.set(false);
    }
}

impl AppState {
    /// Number of events revealed by the execution.
    pub fn revealed(&self) -> usize {
        self.execution
            .with(|e| e.as_ref().map_or(0, |e| e.history().len()))
    }

    /// The slider's position: events shown.
    pub fn shown(&self) -> usize {
        let revealed = self.revealed();
        self.position.get().map_or(revealed, |p| p.min(revealed))
    }

    /// Moves the time-travel position (the end of the revealed history follows new events).
    pub fn seek(&self, p: usize) {
        let revealed = self
            .execution
            .with_untracked(|e| e.as_ref().map_or(0, |e| e.history().len()));
        self.position
            .set(if p >= revealed { None } else { Some(p) });
    }

    fn revealed_untracked(&self) -> usize {
        self.execution
            .with_untracked(|e| e.as_ref().map_or(0, |e| e.history().len()))
    }

    fn finished_untracked(&self) -> bool {
        self.execution
            .with_untracked(|e| e.as_ref().is_some_and(Replay::is_finished))
    }

    /// Step: one event forward through the revealed history, else reveal the next one.
    pub fn step_view(&self) {
        let revealed = self.revealed_untracked();
        if let Some(p) = self.position.get_untracked()
            && let Some(next) = step_within(p, revealed)
        {
            self.seek(next);
            return;
        }
        self.step();
    }

    /// Continue: to the next breakpoint among the revealed events after the position, else run on.
    pub fn continue_view(&self) {
        if let Some(p) = self.position.get_untracked() {
            let found = self.execution.with_untracked(|e| {
                e.as_ref().and_then(|e| {
                    self.breakpoints
                        .with_untracked(|b| next_breakpoint(e.history(), p, b))
                })
            });
            if let Some(q) = found {
                self.seek(q);
                return;
            }
            self.position.set(None);
            if self.finished_untracked() {
                return;
            }
        }
        self.continue_run();
    }

    /// Run: instantly, or replayed at the chosen speed.
    pub fn run_view(&self, pb: Playback) {
        pb.stop();
        self.focus.set(Default::default());
        let speed = pb.speed.get_untracked();
        if speed == Speed::Instant {
            self.run();
            return;
        }
        // A fresh execution showing its first event (the worker answers asynchronously); the timer
        // reveals the rest.
        self.reset_run();
        self.step();
        pb.stamps.set_value(Vec::new());
        pb.playing.set(true);
        self.schedule(pb);
    }

    /// Reveals the next event after its scaled delay, until the end, a breakpoint or Stop.
    fn schedule(&self, pb: Playback) {
        let state = *self;
        if self.execution.with_untracked(Option::is_none) {
            if pb.playing.get_untracked() && self.run_job.with_untracked(Option::is_some) {
                // The worker has not answered yet: look again shortly.
                let handle = set_timeout_with_handle(
                    move || {
                        pb.timer.set_value(None);
                        state.schedule(pb);
                    },
                    Duration::from_millis(30),
                );
                pb.timer.set_value(handle.ok());
            } else {
                pb.stop();
            }
            return;
        }
        if pb.stamps.with_value(Vec::is_empty) {
            // Every event's timestamp is known up front: the run is deterministic.
            let stamps = self.execution.with_untracked(|e| {
                e.as_ref()
                    .map(|e| e.events().iter().map(|ev| ev.timestamp_ms).collect())
                    .unwrap_or_default()
            });
            pb.stamps.set_value(stamps);
        }
        let next = self.revealed_untracked();
        if self.finished_untracked() || !pb.playing.get_untracked() {
            pb.stop();
            return;
        }
        let speed = pb.speed.get_untracked();
        let delay = pb.stamps.with_value(|s| {
            let prev = s.get(next.wrapping_sub(1)).copied().unwrap_or(0);
            let at = s.get(next).copied().unwrap_or(prev);
            speed.delay_ms(prev, at).unwrap_or(0)
        });
        let handle = set_timeout_with_handle(
            move || {
                pb.timer.set_value(None);
                if !pb.playing.get_untracked() {
                    return;
                }
                let mut hit = false;
                state.execution.update(|e| {
                    if let Some(e) = e
                        && let Some(ev) = e.step()
                    {
                        hit = ev.kind.ends_with("StateEntered")
                            && ev.state_name().is_some_and(|n| {
                                state.breakpoints.with_untracked(|b| b.contains(n))
                            });
                    }
                });
                if hit {
                    pb.stop();
                } else {
                    state.schedule(pb);
                }
            },
            Duration::from_millis(u64::from(delay)),
        );
        pb.timer.set_value(handle.ok());
    }

    /// Reset: cancel playback, forget the run, the position and the drill-down.
    pub fn reset_view(&self, pb: Playback) {
        pb.stop();
        self.focus.set(Default::default());
        self.reset_run();
    }
}
