//! Function signatures (`<s-n?:s>`): parsing and argument validation with context substitution.

use crate::Error;
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quant {
    One,
    Opt,
    Plus,
}

#[derive(Debug, Clone)]
struct Param {
    /// The symbols this parameter accepts (`m` = missing).
    set: String,
    quant: Quant,
    /// `-`: use the context value when the argument is missing.
    context: bool,
    typ: String,
    subtype: Option<String>,
}

/// A parsed signature.
#[derive(Debug, Clone)]
pub struct Signature {
    params: Vec<Param>,
}

/// The signature symbol of a value.
pub fn symbol(v: &Value) -> char {
    match v {
        Value::Function(_) => 'f',
        Value::String(_) => 's',
        Value::Number(_) => 'n',
        Value::Bool(_) => 'b',
        Value::Null => 'l',
        Value::Array(..) | Value::Tuples(_) => 'a',
        Value::Object(_) => 'o',
        Value::Undefined => 'm',
    }
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut pos = start;
    while pos < chars.len() {
        pos += 1;
        match chars.get(pos) {
            Some(c) if *c == close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Some(c) if *c == open => depth += 1,
            _ => {}
        }
    }
    pos
}

impl Signature {
    /// Parse a signature such as `<s-nn?:s>`.
    pub fn parse(sig: &str) -> Result<Signature, crate::EvalError> {
        let chars: Vec<char> = sig.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut pos = 1;
        while pos < chars.len() {
            let c = chars[pos];
            if c == ':' {
                break;
            }
            let simple = |set: &str, typ: char| Param {
                set: set.to_string(),
                quant: Quant::One,
                context: false,
                typ: typ.to_string(),
                subtype: None,
            };
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => params.push(simple(&format!("{c}m"), c)),
                'a' => params.push(simple("asnblfom", 'a')),
                'f' => params.push(simple("f", 'f')),
                'j' => params.push(simple("asnblom", 'j')),
                'x' => params.push(simple("asnblfom", 'x')),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context = true;
                        p.quant = Quant::Opt;
                    }
                }
                '?' => {
                    if let Some(p) = params.last_mut() {
                        p.quant = Quant::Opt;
                    }
                }
                '+' => {
                    if let Some(p) = params.last_mut() {
                        p.quant = Quant::Plus;
                    }
                }
                '(' => {
                    let end = closing(&chars, pos, '(', ')');
                    let choice: String = chars[pos + 1..end.min(chars.len())].iter().collect();
                    if choice.contains('<') {
                        return Err(Error::new("S0402").value_str(&choice).pos(pos));
                    }
                    params.push(Param {
                        set: format!("{choice}m"),
                        quant: Quant::One,
                        context: false,
                        typ: format!("({choice})"),
                        subtype: None,
                    });
                    pos = end;
                }
                '<' => {
                    let ok = params.last().is_some_and(|p| p.typ == "a" || p.typ == "f");
                    if !ok {
                        let t = params.last().map(|p| p.typ.clone()).unwrap_or_default();
                        return Err(Error::new("S0401").value_str(&t).pos(pos));
                    }
                    let end = closing(&chars, pos, '<', '>');
                    let sub: String = chars[pos + 1..end.min(chars.len())].iter().collect();
                    if let Some(p) = params.last_mut() {
                        p.subtype = Some(sub);
                    }
                    pos = end;
                }
                _ => {}
            }
            pos += 1;
        }
        Ok(Signature { params })
    }

    fn matches(
        &self,
        upto: usize,
        syms: &[char],
        pi: usize,
        si: usize,
        out: &mut Vec<(usize, usize)>,
        whole: bool,
    ) -> Option<usize> {
        if pi == upto {
            return if !whole || si == syms.len() {
                Some(si)
            } else {
                None
            };
        }
        let p = &self.params[pi];
        let max = match p.quant {
            Quant::Plus => syms.len() - si,
            _ => 1,
        };
        let min = if p.quant == Quant::Opt { 0 } else { 1 };
        let mut n = 0;
        while n < max && si + n < syms.len() && p.set.contains(syms[si + n]) {
            n += 1;
        }
        if n < min {
            return None;
        }
        let mut take = n;
        loop {
            if out.len() > pi {
                out.truncate(pi);
            }
            out.push((si, si + take));
            if let Some(end) = self.matches(upto, syms, pi + 1, si + take, out, whole) {
                return Some(end);
            }
            if take == min {
                return None;
            }
            take -= 1;
        }
    }

    /// Validate `args` (context = the current input), returning the arguments to call with.
    pub fn validate(
        &self,
        args: &[Value],
        context: &Value,
    ) -> Result<Vec<Value>, crate::EvalError> {
        let syms: Vec<char> = args.iter().map(symbol).collect();
        let mut spans = Vec::with_capacity(self.params.len());
        if self
            .matches(self.params.len(), &syms, 0, 0, &mut spans, true)
            .is_none()
        {
            // locate the failing argument
            let mut good_to = 0;
            for i in 0..self.params.len() {
                let mut tmp = Vec::new();
                match self.matches(i + 1, &syms, 0, 0, &mut tmp, false) {
                    None => break,
                    Some(end) => good_to = end,
                }
            }
            return Err(Error::new("T0410")
                .index(good_to + 1)
                .val(args.get(good_to).unwrap_or(&Value::Undefined)));
        }
        let mut out = Vec::with_capacity(self.params.len());
        let mut ai = 0;
        for (p, &(s, e)) in self.params.iter().zip(spans.iter()) {
            if s == e {
                if p.context {
                    let cs = symbol(context);
                    if p.set.contains(cs) {
                        out.push(context.clone());
                    } else {
                        return Err(Error::new("T0411").index(ai + 1).val(context));
                    }
                } else {
                    out.push(args.get(ai).cloned().unwrap_or_default());
                    ai += 1;
                }
                continue;
            }
            let matched: String = syms[s..e].iter().collect();
            for single in syms[s..e].iter() {
                let arg = args.get(ai).cloned().unwrap_or_default();
                if p.typ == "a" {
                    if *single == 'm' {
                        out.push(Value::Undefined);
                    } else {
                        let mut ok = true;
                        if let Some(sub) = &p.subtype {
                            if *single != 'a' && &matched != sub {
                                ok = false;
                            } else if *single == 'a'
                                && let Value::Array(items, _) = &arg
                                && let Some(first) = items.first()
                            {
                                let t = symbol(first);
                                if !sub.starts_with(t) {
                                    ok = false;
                                } else {
                                    ok = items.iter().all(|v| symbol(v) == t);
                                }
                            }
                        }
                        if !ok {
                            let ty = match sub_of(p) {
                                'a' => "arrays",
                                'b' => "booleans",
                                'f' => "functions",
                                'n' => "numbers",
                                'o' => "objects",
                                's' => "strings",
                                _ => "",
                            };
                            return Err(Error::new("T0412").index(ai + 1).val(&arg).type_str(ty));
                        }
                        if *single != 'a' {
                            out.push(Value::arr(vec![arg]));
                        } else {
                            out.push(arg);
                        }
                    }
                } else {
                    out.push(arg);
                }
                ai += 1;
            }
        }
        Ok(out)
    }
}

fn sub_of(p: &Param) -> char {
    p.subtype
        .as_ref()
        .and_then(|s| s.chars().next())
        .unwrap_or(' ')
}
