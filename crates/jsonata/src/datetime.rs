//! Integer and date/time pictures (XPath F&O style): `$formatInteger`, `$parseInteger`,
//! `$fromMillis`, `$toMillis`, `$now` and `$millis`, on a proleptic Gregorian UTC calendar.

use crate::Error;
use crate::eval::Evaluator;
use crate::functions::arg;
use crate::value::*;

type R = Result<Value, crate::EvalError>;

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred",
];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];
const DAYS: [&str; 8] = [
    "",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DECIMAL_GROUPS: [u32; 37] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];
const DAY_MS: f64 = 86_400_000.0;

fn number_to_words(num: f64, prev: bool, ord: bool, depth: usize) -> String {
    if depth > 20 || !num.is_finite() {
        return String::new();
    }
    if num <= 19.0 {
        let i = num.max(0.0) as usize;
        let w = if ord {
            ORDINALS[i.min(19)]
        } else {
            FEW[i.min(19)]
        };
        return format!("{}{}", if prev { " and " } else { "" }, w);
    }
    if num < 100.0 {
        let tens = (num / 10.0).floor() as usize;
        let rem = num % 10.0;
        let mut w = format!("{}{}", if prev { " and " } else { "" }, DECADES[tens - 2]);
        if rem > 0.0 {
            w.push('-');
            w.push_str(&number_to_words(rem, false, ord, depth + 1));
        } else if ord {
            w.pop();
            w.push_str("ieth");
        }
        return w;
    }
    if num < 1000.0 {
        let hundreds = (num / 100.0).floor() as usize;
        let rem = num % 100.0;
        let mut w = format!("{}{} Hundred", if prev { ", " } else { "" }, FEW[hundreds]);
        if rem > 0.0 {
            w.push_str(&number_to_words(rem, true, ord, depth + 1));
        } else if ord {
            w.push_str("th");
        }
        return w;
    }
    let mut mag = (num.log10() / 3.0).floor() as usize;
    if mag > MAGNITUDES.len() {
        mag = MAGNITUDES.len();
    }
    let factor = 10f64.powi(mag as i32 * 3);
    let mant = (num / factor).floor();
    let rem = num - mant * factor;
    let mut w = format!(
        "{}{} {}",
        if prev { ", " } else { "" },
        number_to_words(mant, false, false, depth + 1),
        MAGNITUDES[mag - 1]
    );
    if rem > 0.0 {
        w.push_str(&number_to_words(rem, true, ord, depth + 1));
    } else if ord {
        w.push_str("th");
    }
    w
}

fn word_values() -> Vec<(String, f64)> {
    let mut v = Vec::new();
    for (i, w) in FEW.iter().enumerate() {
        v.push((w.to_lowercase(), i as f64));
    }
    for (i, w) in ORDINALS.iter().enumerate() {
        v.push((w.to_lowercase(), i as f64));
    }
    for (i, w) in DECADES.iter().enumerate() {
        let l = w.to_lowercase();
        let val = ((i + 2) * 10) as f64;
        v.push((l.clone(), val));
        v.push((format!("{}ieth", &l[..l.len() - 1]), val));
    }
    v.push(("hundredth".into(), 100.0));
    for (i, w) in MAGNITUDES.iter().enumerate() {
        let l = w.to_lowercase();
        let val = 10f64.powi((i as i32 + 1) * 3);
        v.push((l.clone(), val));
        v.push((format!("{l}th"), val));
    }
    v
}

fn words_to_number(text: &str) -> f64 {
    let wv = word_values();
    let re = regex::Regex::new(r",\s|\sand\s|[\s\\-]").ok();
    let parts: Vec<&str> = match &re {
        Some(re) => re.split(text).collect(),
        None => vec![text],
    };
    let mut segs: Vec<f64> = vec![0.0];
    for p in parts {
        let value = wv
            .iter()
            .rev()
            .find(|(w, _)| w == p)
            .map(|(_, v)| *v)
            .unwrap_or(f64::NAN);
        if value < 100.0 {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + value);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * value);
        }
    }
    segs.iter().sum()
}

const ROMAN: [(f64, &str); 13] = [
    (1000.0, "m"),
    (900.0, "cm"),
    (500.0, "d"),
    (400.0, "cd"),
    (100.0, "c"),
    (90.0, "xc"),
    (50.0, "l"),
    (40.0, "xl"),
    (10.0, "x"),
    (9.0, "ix"),
    (5.0, "v"),
    (4.0, "iv"),
    (1.0, "i"),
];

fn decimal_to_roman(mut v: f64) -> String {
    let mut out = String::new();
    let mut guard = 0;
    while guard < 100_000 {
        guard += 1;
        match ROMAN.iter().find(|(n, _)| v >= *n) {
            Some((n, s)) => {
                out.push_str(s);
                v -= n;
            }
            None => break,
        }
    }
    out
}

fn roman_to_decimal(s: &str) -> f64 {
    let mut dec = 0.0;
    let mut max = 1.0;
    for c in s.chars().rev() {
        let v = match c {
            'M' => 1000.0,
            'D' => 500.0,
            'C' => 100.0,
            'L' => 50.0,
            'X' => 10.0,
            'V' => 5.0,
            'I' => 1.0,
            _ => f64::NAN,
        };
        if v < max {
            dec -= v;
        } else {
            max = v;
            dec += v;
        }
    }
    dec
}

fn decimal_to_letters(mut v: f64, a: char) -> String {
    let mut letters = Vec::new();
    while v > 0.0 {
        let c = char::from_u32(((v - 1.0) % 26.0) as u32 + a as u32).unwrap_or('?');
        letters.push(c);
        v = ((v - 1.0) / 26.0).floor();
    }
    letters.iter().rev().collect()
}

fn letters_to_decimal(s: &str, a: char) -> f64 {
    let chars: Vec<char> = s.chars().collect();
    let mut dec = 0.0;
    for (i, c) in chars.iter().rev().enumerate() {
        dec += (*c as i64 - a as i64 + 1) as f64 * 26f64.powi(i as i32);
    }
    dec
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Case {
    Upper,
    Lower,
    Title,
}

#[derive(Debug, Clone, PartialEq)]
enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence(String),
}

#[derive(Debug, Clone)]
struct IntFormat {
    primary: Primary,
    case: Case,
    ordinal: bool,
    zero: u32,
    mandatory: usize,
    optional: usize,
    regular: Option<(usize, char)>,
    seps: Vec<(usize, char)>,
}

fn analyse_integer_picture(picture: &str) -> Result<IntFormat, crate::EvalError> {
    let mut f = IntFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero: 0x30,
        mandatory: 0,
        optional: 0,
        regular: None,
        seps: Vec::new(),
    };
    let primary = match picture.rfind(';') {
        None => picture,
        Some(i) => {
            if picture[i + 1..].starts_with('o') {
                f.ordinal = true;
            }
            &picture[..i]
        }
    };
    match primary {
        "A" => {
            f.case = Case::Upper;
            f.primary = Primary::Letters;
        }
        "a" => f.primary = Primary::Letters,
        "I" => {
            f.case = Case::Upper;
            f.primary = Primary::Roman;
        }
        "i" => f.primary = Primary::Roman,
        "W" => {
            f.case = Case::Upper;
            f.primary = Primary::Words;
        }
        "Ww" => {
            f.case = Case::Title;
            f.primary = Primary::Words;
        }
        "w" => f.primary = Primary::Words,
        _ => {
            let mut zero: Option<u32> = None;
            let mut sep_pos = 0;
            for c in primary.chars().rev() {
                let cp = c as u32;
                if let Some(g) = DECIMAL_GROUPS.iter().find(|&&g| cp >= g && cp <= g + 9) {
                    f.mandatory += 1;
                    sep_pos += 1;
                    match zero {
                        None => zero = Some(*g),
                        Some(z) if z != *g => return Err(Error::new("D3131")),
                        _ => {}
                    }
                } else if c == '#' {
                    sep_pos += 1;
                    f.optional += 1;
                } else {
                    f.seps.push((sep_pos, c));
                }
            }
            if f.mandatory > 0 {
                f.zero = zero.unwrap_or(0x30);
                if !f.seps.is_empty() && f.seps.iter().all(|s| s.1 == f.seps[0].1) {
                    fn gcd(a: usize, b: usize) -> usize {
                        if b == 0 { a } else { gcd(b, a % b) }
                    }
                    let idx: Vec<usize> = f.seps.iter().map(|s| s.0).collect();
                    let factor = idx.iter().copied().fold(0, gcd);
                    if factor > 0 && (1..=idx.len()).all(|i| idx.contains(&(i * factor))) {
                        f.regular = Some((factor, f.seps[0].1));
                    }
                }
            } else {
                f.primary = Primary::Sequence(primary.to_string());
            }
        }
    }
    Ok(f)
}

fn format_int(value: f64, f: &IntFormat) -> Result<String, crate::EvalError> {
    let negative = value < 0.0;
    let value = value.abs();
    let mut s = match &f.primary {
        Primary::Letters => {
            decimal_to_letters(value, if f.case == Case::Upper { 'A' } else { 'a' })
        }
        Primary::Roman => {
            let r = decimal_to_roman(value);
            if f.case == Case::Upper {
                r.to_uppercase()
            } else {
                r
            }
        }
        Primary::Words => {
            let w = number_to_words(value, false, f.ordinal, 0);
            match f.case {
                Case::Upper => w.to_uppercase(),
                Case::Lower => w.to_lowercase(),
                Case::Title => w,
            }
        }
        Primary::Decimal => {
            let mut s = fmt_number(value);
            let pad = f.mandatory as i64 - s.chars().count() as i64;
            if pad > 0 {
                s = format!("{}{}", "0".repeat(pad as usize), s);
            }
            if f.zero != 0x30 {
                s = s
                    .chars()
                    .map(|c| char::from_u32(c as u32 + f.zero - 0x30).unwrap_or(c))
                    .collect();
            }
            let mut chars: Vec<char> = s.chars().collect();
            if let Some((every, sep)) = f.regular {
                let n = (chars.len().saturating_sub(1)) / every;
                for ii in (1..=n).rev() {
                    let pos = chars.len() - ii * every;
                    chars.insert(pos, sep);
                }
            } else {
                for &(pos, c) in f.seps.iter().rev() {
                    let at = chars.len().saturating_sub(pos);
                    chars.insert(at, c);
                }
            }
            let mut s: String = chars.iter().collect();
            if f.ordinal {
                let last = chars.last().copied();
                let prev = if chars.len() > 1 {
                    chars.get(chars.len() - 2).copied()
                } else {
                    None
                };
                let suffix = match last {
                    Some('1') => "st",
                    Some('2') => "nd",
                    Some('3') => "rd",
                    _ => "th",
                };
                let suffix = if prev == Some('1') { "th" } else { suffix };
                s.push_str(suffix);
            }
            s
        }
        Primary::Sequence(t) => return Err(Error::new("D3130").value_str(t)),
    };
    if negative {
        s = format!("-{s}");
    }
    Ok(s)
}

pub fn format_integer_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(v) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let f = analyse_integer_picture(arg(args, 1).as_str().unwrap_or(""))?;
    Ok(Value::str(&format_int(v.floor(), &f)?))
}

#[derive(Debug, Clone)]
enum Part {
    Literal(String),
    Marker(Marker),
}

#[derive(Debug, Clone)]
struct Marker {
    component: char,
    width: Option<(Option<i64>, Option<i64>)>,
    pres2: Option<char>,
    names: Option<Case>,
    int_fmt: Option<IntFormat>,
    n: i64,
}

fn analyse_datetime_picture(picture: &str) -> Result<Vec<Part>, crate::EvalError> {
    let chars: Vec<char> = picture.chars().collect();
    let mut spec = Vec::new();
    let add_literal = |spec: &mut Vec<Part>, a: usize, b: usize| {
        if b > a {
            let lit: String = chars[a..b].iter().collect();
            spec.push(Part::Literal(lit.replace("]]", "]")));
        }
    };
    let (mut start, mut pos) = (0, 0);
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                add_literal(&mut spec, start, pos);
                spec.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut spec, start, pos);
            start = pos;
            let Some(end) = chars[start..]
                .iter()
                .position(|c| *c == ']')
                .map(|p| p + start)
            else {
                return Err(Error::new("D3135"));
            };
            pos = end;
            let marker: String = chars[start + 1..pos]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            let mchars: Vec<char> = marker.chars().collect();
            let component = mchars.first().copied().unwrap_or(' ');
            let mut width = None;
            let pres: String;
            if let Some(comma) = marker.rfind(',') {
                let wm = &marker[comma + 1..];
                let parse_w = |s: &str| -> Option<i64> {
                    if s == "*" {
                        None
                    } else {
                        let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
                        d.parse().ok()
                    }
                };
                let (min, max) = match wm.find('-') {
                    None => (parse_w(wm), None),
                    Some(d) => (parse_w(&wm[..d]), parse_w(&wm[d + 1..])),
                };
                width = Some((min, max));
                pres = marker[component.len_utf8().min(comma)..comma].to_string();
            } else {
                pres = marker[component.len_utf8().min(marker.len())..].to_string();
            }
            let pchars: Vec<char> = pres.chars().collect();
            let pres1: Option<String>;
            let mut pres2 = None;
            if pchars.len() == 1 {
                pres1 = Some(pres.clone());
            } else if pchars.len() > 1 {
                let last = pchars[pchars.len() - 1];
                if "atco".contains(last) {
                    pres2 = Some(last);
                    pres1 = Some(pchars[..pchars.len() - 1].iter().collect());
                } else {
                    pres1 = Some(pres.clone());
                }
            } else {
                pres1 = match component {
                    'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => {
                        Some("1".into())
                    }
                    'F' | 'P' | 'C' | 'E' => Some("n".into()),
                    'm' | 's' => Some("01".into()),
                    'Z' | 'z' => Some("01:01".into()),
                    _ => None,
                };
            }
            let Some(pres1) = pres1 else {
                return Err(Error::new("D3132").value_str(&component.to_string()));
            };
            let mut m = Marker {
                component,
                width,
                pres2,
                names: None,
                int_fmt: None,
                n: 0,
            };
            let p1: Vec<char> = pres1.chars().collect();
            if p1.first() == Some(&'n') {
                m.names = Some(Case::Lower);
            } else if p1.first() == Some(&'N') {
                m.names = Some(if p1.get(1) == Some(&'n') {
                    Case::Title
                } else {
                    Case::Upper
                });
            } else if "YMDdFWwXxHhmsf".contains(component) {
                let mut pat = pres1.clone();
                if let Some(p2) = pres2 {
                    pat.push(';');
                    pat.push(p2);
                }
                let mut f = analyse_integer_picture(&pat)?;
                if let Some((Some(min), _)) = width
                    && (f.mandatory as i64) < min
                {
                    f.mandatory = min.max(0) as usize;
                }
                if "YMD".contains(component) {
                    m.n = -1;
                    if let Some((_, Some(max))) = width {
                        m.n = max;
                        f.mandatory = max.max(0) as usize;
                    } else {
                        let w = f.mandatory + f.optional;
                        if w >= 2 {
                            m.n = w as i64;
                        }
                    }
                }
                m.int_fmt = Some(f);
            }
            if component == 'Z' || component == 'z' {
                m.int_fmt = Some(analyse_integer_picture(&pres1)?);
            }
            spec.push(Part::Marker(m));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut spec, start, pos.min(chars.len()));
    Ok(spec)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (month 1..=12).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `Date.UTC` (month zero-based, overflow normalised).
fn date_utc(y: f64, mo: f64, d: f64, h: f64, mi: f64, s: f64, ms: f64) -> f64 {
    let vals = [y, mo, d, h, mi, s, ms];
    if vals.iter().any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let mut y = y.trunc();
    if y.abs() > 300_000.0 || mo.abs() > 4_000_000.0 || d.abs() > 1e9 {
        return f64::NAN;
    }
    if (0.0..=99.0).contains(&y) {
        y += 1900.0;
    }
    let mo = mo.trunc();
    let y = y + (mo / 12.0).floor();
    let m = mo.rem_euclid(12.0);
    let days = days_from_civil(y as i64, m as i64 + 1, 1) as f64 + d.trunc() - 1.0;
    days * DAY_MS
        + h.trunc() * 3_600_000.0
        + mi.trunc() * 60_000.0
        + s.trunc() * 1000.0
        + ms.trunc()
}

struct Dt {
    y: i64,
    mo: i64, // 0-based
    d: i64,
    h: i64,
    mi: i64,
    s: i64,
    ms: i64,
    wd: i64, // 0 = Sunday
    millis: f64,
}

fn to_dt(millis: f64) -> Dt {
    let days = (millis / DAY_MS).floor();
    let rem = millis - days * DAY_MS;
    let (y, m, d) = civil_from_days(days as i64);
    let rem = rem as i64;
    Dt {
        y,
        mo: m - 1,
        d,
        h: rem / 3_600_000,
        mi: (rem / 60_000) % 60,
        s: (rem / 1000) % 60,
        ms: rem % 1000,
        wd: (days as i64 + 4).rem_euclid(7),
        millis,
    }
}

fn start_of_first_week(year: i64, month: i64) -> f64 {
    let jan1 = date_utc(year as f64, month as f64, 1.0, 0.0, 0.0, 0.0, 0.0);
    let mut dow = to_dt(jan1).wd;
    if dow == 0 {
        dow = 7;
    }
    if dow > 4 {
        jan1 + (8 - dow) as f64 * DAY_MS
    } else {
        jan1 - (dow - 1) as f64 * DAY_MS
    }
}

fn next_month(y: i64, m: i64) -> (i64, i64) {
    if m == 11 { (y + 1, 0) } else { (y, m + 1) }
}

fn prev_month(y: i64, m: i64) -> (i64, i64) {
    if m == 0 { (y - 1, 11) } else { (y, m - 1) }
}

fn delta_weeks(a: f64, b: f64) -> f64 {
    (b - a) / (DAY_MS * 7.0) + 1.0
}

enum Frag {
    Num(f64),
    Str(&'static str),
    None,
}

fn fragment(dt: &Dt, c: char) -> Frag {
    let today = || date_utc(dt.y as f64, dt.mo as f64, dt.d as f64, 0.0, 0.0, 0.0, 0.0);
    Frag::Num(match c {
        'Y' => dt.y as f64,
        'M' => (dt.mo + 1) as f64,
        'D' => dt.d as f64,
        'd' => (today() - date_utc(dt.y as f64, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)) / DAY_MS + 1.0,
        'F' => {
            if dt.wd == 0 {
                7.0
            } else {
                dt.wd as f64
            }
        }
        'W' => {
            let s1 = start_of_first_week(dt.y, 0);
            let t = today();
            let mut week = delta_weeks(s1, t);
            if week > 52.0 {
                if t >= start_of_first_week(dt.y + 1, 0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(dt.y - 1, 0), t);
            }
            week.floor()
        }
        'w' => {
            let s1 = start_of_first_week(dt.y, dt.mo);
            let t = today();
            let mut week = delta_weeks(s1, t);
            if week > 4.0 {
                let (ny, nm) = next_month(dt.y, dt.mo);
                if t >= start_of_first_week(ny, nm) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                let (py, pm) = prev_month(dt.y, dt.mo);
                week = delta_weeks(start_of_first_week(py, pm), t);
            }
            week.floor()
        }
        'X' => {
            let s = start_of_first_week(dt.y, 0);
            let e = start_of_first_week(dt.y + 1, 0);
            if dt.millis < s {
                (dt.y - 1) as f64
            } else if dt.millis >= e {
                (dt.y + 1) as f64
            } else {
                dt.y as f64
            }
        }
        'x' => {
            let s = start_of_first_week(dt.y, dt.mo);
            let (ny, nm) = next_month(dt.y, dt.mo);
            let e = start_of_first_week(ny, nm);
            if dt.millis < s {
                (prev_month(dt.y, dt.mo).1 + 1) as f64
            } else if dt.millis >= e {
                (nm + 1) as f64
            } else {
                (dt.mo + 1) as f64
            }
        }
        'H' => dt.h as f64,
        'h' => {
            let h = dt.h % 12;
            if h == 0 { 12.0 } else { h as f64 }
        }
        'P' => return Frag::Str(if dt.h >= 12 { "pm" } else { "am" }),
        'm' => dt.mi as f64,
        's' => dt.s as f64,
        'f' => dt.ms as f64,
        'C' | 'E' => return Frag::Str("ISO"),
        _ => return Frag::None,
    })
}

fn js_parse_int(s: &str) -> f64 {
    let t = s.trim_start();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let d: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    match d.parse::<f64>() {
        Ok(v) => {
            if neg {
                -v
            } else {
                v
            }
        }
        Err(_) => f64::NAN,
    }
}

fn format_datetime(
    millis: f64,
    picture: Option<&str>,
    tz: Option<&str>,
) -> Result<String, crate::EvalError> {
    // the range of an ECMAScript Date
    if millis.is_nan() || millis.abs() > 8.64e15 {
        return Err(Error::new("D3110").value_num(millis));
    }
    let (mut oh, mut om) = (0.0, 0.0);
    if let Some(tz) = tz {
        let off = js_parse_int(tz);
        oh = (off / 100.0).floor();
        om = off % 100.0;
    }
    let spec = analyse_datetime_picture(
        picture.unwrap_or("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"),
    )?;
    let offset_ms = (60.0 * oh + om) * 60_000.0;
    let dt = to_dt(millis + offset_ms);
    let mut out = String::new();
    for part in &spec {
        let m = match part {
            Part::Literal(l) => {
                out.push_str(l);
                continue;
            }
            Part::Marker(m) => m,
        };
        let c = m.component;
        let frag = fragment(&dt, c);
        if "YMDdFWwXxHhms".contains(c) {
            let mut v = match frag {
                Frag::Num(n) => n,
                _ => f64::NAN,
            };
            if c == 'Y' && m.n != -1 {
                v %= 10f64.powi(m.n as i32);
            }
            if let Some(names) = m.names {
                let name = match c {
                    'M' | 'x' => MONTHS
                        .get((v as usize).wrapping_sub(1))
                        .copied()
                        .unwrap_or(""),
                    'F' => DAYS.get(v as usize).copied().unwrap_or(""),
                    _ => return Err(Error::new("D3133").value_str(&c.to_string())),
                };
                let mut name = match names {
                    Case::Upper => name.to_uppercase(),
                    Case::Lower => name.to_lowercase(),
                    Case::Title => name.to_string(),
                };
                if let Some((_, Some(max))) = m.width
                    && name.chars().count() as i64 > max
                {
                    name = name.chars().take(max.max(0) as usize).collect();
                }
                out.push_str(&name);
            } else if let Some(f) = &m.int_fmt {
                out.push_str(&format_int(v, f)?);
            }
        } else if c == 'f' {
            if let (Frag::Num(v), Some(f)) = (frag, &m.int_fmt) {
                out.push_str(&format_int(v, f)?);
            }
        } else if c == 'Z' || c == 'z' {
            let offset = oh * 100.0 + om;
            let f = m.int_fmt.clone().ok_or_else(|| Error::new("D3134"))?;
            let mut s = if f.regular.is_some() {
                format_int(offset, &f)?
            } else {
                let nd = f.mandatory;
                if nd == 1 || nd == 2 {
                    let mut s = format_int(oh, &f)?;
                    if om != 0.0 {
                        let f2 = analyse_integer_picture("00")?;
                        s.push(':');
                        s.push_str(&format_int(om.floor(), &f2)?);
                    }
                    s
                } else if nd == 3 || nd == 4 {
                    format_int(offset, &f)?
                } else {
                    return Err(Error::new("D3134").value_num(nd as f64));
                }
            };
            if offset >= 0.0 {
                s = format!("+{s}");
            }
            if c == 'z' {
                s = format!("GMT{s}");
            }
            if offset == 0.0 && m.pres2 == Some('t') {
                s = "Z".into();
            }
            out.push_str(&s);
        } else if c == 'P' {
            if let Frag::Str(s) = frag {
                if m.names == Some(Case::Upper) {
                    out.push_str(&s.to_uppercase());
                } else {
                    out.push_str(s);
                }
            }
        } else if let Frag::Str(s) = frag {
            out.push_str(s);
        }
    }
    Ok(out)
}

#[derive(Debug, Clone)]
enum Parser {
    Letters(bool),
    Roman(bool),
    Words,
    Decimal(IntFormat),
    Zone { z: bool, sep: Option<char> },
    Lookup(Vec<(String, f64)>),
}

fn parse_with(p: &Parser, v: &str) -> f64 {
    match p {
        Parser::Letters(upper) => letters_to_decimal(v, if *upper { 'A' } else { 'a' }),
        Parser::Roman(upper) => roman_to_decimal(&if *upper {
            v.to_string()
        } else {
            v.to_uppercase()
        }),
        Parser::Words => words_to_number(&v.to_lowercase()),
        Parser::Decimal(f) => {
            let mut d: String = v.to_string();
            if f.ordinal {
                let n = d.chars().count();
                d = d.chars().take(n.saturating_sub(2)).collect();
            }
            if f.regular.is_some() {
                d = d.replace(',', "");
            } else {
                for (_, c) in &f.seps {
                    d = d.replace(*c, "");
                }
            }
            if f.zero != 0x30 {
                d = d
                    .chars()
                    .map(|c| char::from_u32((c as u32).wrapping_sub(f.zero) + 0x30).unwrap_or(c))
                    .collect();
            }
            js_parse_int(&d)
        }
        Parser::Zone { z, sep } => {
            let v = if *z { v.get(3..).unwrap_or("") } else { v };
            let (h, m) = match sep {
                Some(c) => match v.find(*c) {
                    Some(i) => (js_parse_int(&v[..i]), js_parse_int(&v[i + c.len_utf8()..])),
                    None => (js_parse_int(v), f64::NAN),
                },
                None => {
                    let nd = v.chars().count().saturating_sub(1);
                    if nd <= 2 {
                        (js_parse_int(v), 0.0)
                    } else {
                        (
                            js_parse_int(v.get(..3).unwrap_or(v)),
                            js_parse_int(v.get(3..).unwrap_or("")),
                        )
                    }
                }
            };
            h * 60.0 + m
        }
        Parser::Lookup(l) => l
            .iter()
            .find(|(k, _)| k == v)
            .map(|(_, n)| *n)
            .unwrap_or(f64::NAN),
    }
}

fn int_regex(f: &IntFormat, n: i64) -> Result<(String, Parser), crate::EvalError> {
    let occ = if n > 0 {
        if f.optional == 0 {
            format!("{{{n}}}")
        } else {
            format!("{{{},{}}}", (n - f.optional as i64).max(0), n)
        }
    } else {
        "+".to_string()
    };
    Ok(match &f.primary {
        Primary::Letters => {
            let up = f.case == Case::Upper;
            (
                (if up { "[A-Z]+" } else { "[a-z]+" }).to_string(),
                Parser::Letters(up),
            )
        }
        Primary::Roman => {
            let up = f.case == Case::Upper;
            (
                (if up { "[MDCLXVI]+" } else { "[mdclxvi]+" }).to_string(),
                Parser::Roman(up),
            )
        }
        Primary::Words => {
            let mut alts: Vec<String> = word_values().into_iter().map(|(w, _)| w).collect();
            alts.push("and".into());
            alts.push("[\\-, ]".into());
            (format!("(?:{})+", alts.join("|")), Parser::Words)
        }
        Primary::Decimal => {
            let mut r = format!("[0-9]{occ}");
            if f.ordinal {
                r.push_str("(?:th|st|nd|rd)");
            }
            (r, Parser::Decimal(f.clone()))
        }
        Primary::Sequence(t) => return Err(Error::new("D3130").value_str(t)),
    })
}

pub fn parse_integer_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(v) = arg(args, 0).as_str() else {
        return Ok(Value::Undefined);
    };
    let f = analyse_integer_picture(arg(args, 1).as_str().unwrap_or(""))?;
    let (_, p) = int_regex(&f, 0)?;
    Ok(Value::Number(parse_with(&p, v)))
}

fn parse_datetime(ts: &str, picture: &str, now: f64) -> Result<Option<f64>, crate::EvalError> {
    let spec = analyse_datetime_picture(picture)?;
    let mut regex = String::from("^");
    let mut parsers: Vec<(char, Option<Parser>)> = Vec::new();
    for part in &spec {
        match part {
            Part::Literal(l) => {
                regex.push('(');
                regex.push_str(&regex::escape(l));
                regex.push(')');
                parsers.push((' ', None));
            }
            Part::Marker(m) => {
                let c = m.component;
                let (r, p) = if c == 'Z' || c == 'z' {
                    let sep = m.int_fmt.as_ref().and_then(|f| f.regular.map(|r| r.1));
                    let mut r = String::new();
                    if c == 'z' {
                        r.push_str("GMT");
                    }
                    r.push_str("[-+][0-9]+");
                    if let Some(s) = sep {
                        r.push_str(&regex::escape(&s.to_string()));
                        r.push_str("[0-9]+");
                    }
                    (r, Parser::Zone { z: c == 'z', sep })
                } else if let Some(f) = &m.int_fmt {
                    int_regex(f, m.n)?
                } else {
                    let maxw = m.width.and_then(|w| w.1).filter(|w| *w > 0);
                    let name = |s: &str| -> String {
                        match maxw {
                            Some(w) => s.chars().take(w as usize).collect(),
                            None => s.to_string(),
                        }
                    };
                    let lookup: Vec<(String, f64)> = match c {
                        'M' | 'x' => MONTHS
                            .iter()
                            .enumerate()
                            .map(|(i, n)| (name(n), (i + 1) as f64))
                            .collect(),
                        'F' => DAYS
                            .iter()
                            .enumerate()
                            .skip(1)
                            .map(|(i, n)| (name(n), i as f64))
                            .collect(),
                        'P' => vec![
                            ("am".into(), 0.0),
                            ("AM".into(), 0.0),
                            ("pm".into(), 1.0),
                            ("PM".into(), 1.0),
                        ],
                        _ => return Err(Error::new("D3133").value_str(&c.to_string())),
                    };
                    ("[a-zA-Z]+".to_string(), Parser::Lookup(lookup))
                };
                regex.push('(');
                regex.push_str(&r);
                regex.push(')');
                parsers.push((c, Some(p)));
            }
        }
    }
    regex.push('$');
    let re = regex::RegexBuilder::new(&regex)
        .case_insensitive(true)
        .build()
        .map_err(|_| Error::new("D3136"))?;
    let Some(caps) = re.captures(ts) else {
        return Ok(None);
    };
    let mut comps: Vec<(char, f64)> = Vec::new();
    for (i, (c, p)) in parsers.iter().enumerate() {
        if let (Some(p), Some(m)) = (p, caps.get(i + 1)) {
            let v = parse_with(p, m.as_str());
            if let Some(slot) = comps.iter_mut().find(|(k, _)| k == c) {
                slot.1 = v;
            } else {
                comps.push((*c, v));
            }
        }
    }
    if comps.is_empty() {
        return Ok(None);
    }
    let get =
        |comps: &Vec<(char, f64)>, c: char| comps.iter().find(|(k, _)| *k == c).map(|(_, v)| *v);
    let mask_of = |comps: &Vec<(char, f64)>, s: &str| -> u32 {
        let mut mask = 0u32;
        for c in s.chars() {
            mask <<= 1;
            // JS truthiness of the component value
            if get(comps, c).is_some_and(|v| v != 0.0 && !v.is_nan()) {
                mask += 1;
            }
        }
        mask
    };
    let is_type = |t: u32, mask: u32| (!t & mask) == 0 && (t & mask) != 0;
    let mask = mask_of(&comps, "YXMxWwdD");
    let date_a = is_type(161, mask);
    let date_b = !date_a && is_type(130, mask);
    let date_c = is_type(84, mask);
    let date_d = !date_c && is_type(72, mask);
    let tmask = mask_of(&comps, "PHhmsf");
    let time_a = is_type(23, tmask);
    let time_b = !time_a && is_type(47, tmask);
    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let now_dt = to_dt(now);
    let mut start_spec = false;
    let mut end_spec = false;
    for c in date_comps.chars().chain(time_comps.chars()) {
        if get(&comps, c).is_none() {
            let v = if start_spec {
                end_spec = true;
                if "MDd".contains(c) { 1.0 } else { 0.0 }
            } else {
                match fragment(&now_dt, c) {
                    Frag::Num(n) => n,
                    Frag::Str(s) => {
                        if s == "pm" {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    Frag::None => f64::NAN,
                }
            };
            comps.push((c, v));
        } else {
            start_spec = true;
            if end_spec {
                return Err(Error::new("D3136"));
            }
        }
    }
    let g = |c: char| get(&comps, c).unwrap_or(f64::NAN);
    let mut month = g('M');
    month = if month > 0.0 { month - 1.0 } else { 0.0 };
    let mut day = g('D');
    if date_b {
        let first = date_utc(g('Y'), 0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
        let derived = to_dt(first + (g('d') - 1.0) * DAY_MS);
        month = derived.mo as f64;
        day = derived.d as f64;
    }
    if date_c || date_d {
        return Err(Error::new("D3136"));
    }
    let mut hour = g('H');
    if time_b {
        let h = g('h');
        hour = if h == 12.0 { 0.0 } else { h };
        if g('P') == 1.0 {
            hour += 12.0;
        }
    }
    let mut millis = date_utc(g('Y'), month, day, hour, g('m'), g('s'), g('f'));
    let zone = get(&comps, 'Z')
        .filter(|v| *v != 0.0)
        .or_else(|| get(&comps, 'z').filter(|v| *v != 0.0));
    if let Some(z) = zone {
        millis -= z * 60_000.0;
    }
    Ok(Some(millis))
}

fn iso_to_millis(ts: &str) -> Option<f64> {
    let re = regex::Regex::new(
        r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$",
    )
    .ok()?;
    let c = re.captures(ts)?;
    let num = |i: usize, d: f64| c.get(i).map_or(Some(d), |m| m.as_str().parse::<f64>().ok());
    let y = num(1, 1970.0)?;
    let mo = num(2, 1.0)?;
    let d = num(3, 1.0)?;
    let h = num(4, 0.0)?;
    let mi = num(5, 0.0)?;
    let s = num(6, 0.0)?;
    let ms = match c.get(7) {
        Some(f) => {
            let digits: String = f.as_str().chars().chain("000".chars()).take(3).collect();
            digits.parse::<f64>().ok()?
        }
        None => 0.0,
    };
    if !(1.0..=12.0).contains(&mo)
        || !(1.0..=31.0).contains(&d)
        || h > 24.0
        || mi > 59.0
        || s > 59.0
    {
        return None;
    }
    let mut t = days_from_civil(y as i64, mo as i64, d as i64) as f64 * DAY_MS
        + h * 3_600_000.0
        + mi * 60_000.0
        + s * 1000.0
        + ms;
    if let Some(z) = c.get(8) {
        let z = z.as_str();
        if z != "Z" {
            let sign = if z.starts_with('-') { -1.0 } else { 1.0 };
            let digits: String = z.chars().filter(|c| c.is_ascii_digit()).collect();
            let oh: f64 = digits.get(..2)?.parse().ok()?;
            let om: f64 = digits.get(2..)?.parse().ok()?;
            t -= sign * (oh * 60.0 + om) * 60_000.0;
        }
    }
    Some(t)
}

pub fn to_millis_fn(ev: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(ts) = arg(args, 0).as_str() else {
        return Ok(Value::Undefined);
    };
    match arg(args, 1).as_str() {
        None => {
            let valid = regex::Regex::new(
                r"^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$",
            )
            .map(|r| r.is_match(ts))
            .unwrap_or(false);
            if !valid {
                return Err(Error::new("D3110").value_str(ts));
            }
            Ok(iso_to_millis(ts).map_or(Value::Undefined, |n| {
                if n.is_nan() {
                    Value::Undefined
                } else {
                    Value::Number(n)
                }
            }))
        }
        Some(pic) => {
            let now = ev.cfg.now_millis as f64;
            Ok(match parse_datetime(ts, pic, now)? {
                Some(n) if n.is_finite() => Value::Number(n),
                _ => Value::Undefined,
            })
        }
    }
}

pub fn from_millis_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(ms) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let s = format_datetime(ms, arg(args, 1).as_str(), arg(args, 2).as_str())?;
    Ok(Value::str(&s))
}

pub fn now_fn(ev: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let ms = ev.cfg.now_millis as f64;
    let s = format_datetime(ms, arg(args, 0).as_str(), arg(args, 1).as_str())?;
    Ok(Value::str(&s))
}

pub fn millis_fn(ev: &mut Evaluator, _: &[Value], _: &Env) -> R {
    Ok(Value::Number(ev.cfg.now_millis as f64))
}
