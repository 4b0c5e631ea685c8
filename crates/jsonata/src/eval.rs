//! The tree-walking evaluator: paths and tuple streams, operators, functions and lambdas
//! (with tail calls on a trampoline), transforms, sorting and grouping, under a depth and step guard.

use crate::Environment;
use crate::Error;
use crate::ast::*;
use crate::functions;
use crate::value::*;
use indexmap::IndexMap;
use std::rc::Rc;

type R<T> = Result<T, crate::EvalError>;

/// Evaluation state for one `evaluate` call.
pub struct Evaluator<'a> {
    pub cfg: &'a Environment,
    depth: usize,
    steps: u64,
    pub rng: u64,
    /// Frames a function was bound into: closures referring back to them form Rc cycles,
    /// which are broken when the evaluation ends.
    bound_frames: Vec<std::rc::Weak<Frame>>,
}

/// The effective boolean value (`None` for undefined).
pub fn boolean(v: &Value) -> Option<bool> {
    Some(match v {
        Value::Undefined => return None,
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::String(s) => !s.is_empty(),
        Value::Array(a, _) => match a.len() {
            0 => false,
            1 => boolean(&a[0]).unwrap_or(false),
            _ => a.iter().any(|v| boolean(v).unwrap_or(false)),
        },
        Value::Tuples(t) => !t.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Function(_) => false,
    })
}

fn truthy(v: &Value) -> bool {
    boolean(v).unwrap_or(false)
}

/// `isNumeric`: a number that is not NaN (infinite numbers are error D1001).
pub fn is_numeric(v: &Value) -> R<bool> {
    match v {
        Value::Number(n) if n.is_nan() => Ok(false),
        Value::Number(n) if n.is_infinite() => Err(Error::new("D1001").value_num(*n)),
        Value::Number(_) => Ok(true),
        _ => Ok(false),
    }
}

/// The reference's `fn.append`: concatenate, treating non-arrays as singletons.
pub fn append(a: Value, b: Value) -> Value {
    if a.is_undefined() {
        return b;
    }
    if b.is_undefined() {
        return a;
    }
    let (mut items, flags) = match a {
        Value::Array(rc, f) => (Rc::try_unwrap(rc).unwrap_or_else(|rc| (*rc).clone()), f),
        v => (vec![v], SEQ),
    };
    match b {
        Value::Array(rc, _) => items.extend(rc.iter().cloned()),
        v => items.push(v),
    }
    Value::Array(Rc::new(items), flags & (SEQ | KEEP))
}

fn frame_from_tuple(env: &Env, t: &Tuple) -> Env {
    Rc::new(Frame {
        vars: std::cell::RefCell::new(t.vars.clone()),
        parent: Some(env.clone()),
    })
}

/// Rebuild `v` with fresh Rc nodes (the transform's `$clone`).
fn deep_clone(v: &Value, depth: usize) -> Value {
    if depth > MAX_VALUE_DEPTH {
        return v.clone();
    }
    match v {
        Value::Array(a, f) => Value::Array(
            Rc::new(a.iter().map(|x| deep_clone(x, depth + 1)).collect()),
            *f,
        ),
        Value::Object(o) => Value::Object(Rc::new(
            o.iter()
                .map(|(k, x)| (k.clone(), deep_clone(x, depth + 1)))
                .collect(),
        )),
        v => v.clone(),
    }
}

fn ptr_of(v: &Value) -> Option<*const Map> {
    match v {
        Value::Object(o) => Some(Rc::as_ptr(o)),
        _ => None,
    }
}

fn substitute(v: &Value, map: &IndexMap<*const Map, Value, FxBuild>, depth: usize) -> Value {
    if depth > MAX_VALUE_DEPTH {
        return v.clone();
    }
    match v {
        Value::Object(o) => {
            let base = map
                .get(&Rc::as_ptr(o))
                .cloned()
                .unwrap_or_else(|| v.clone());
            match &base {
                Value::Object(b) => {
                    let mut changed = false;
                    let mut out = new_map(b.len());
                    for (k, x) in b.iter() {
                        let nx = substitute(x, map, depth + 1);
                        if !same(&nx, x) {
                            changed = true;
                        }
                        out.insert(k.clone(), nx);
                    }
                    if changed {
                        Value::Object(Rc::new(out))
                    } else {
                        base
                    }
                }
                _ => base,
            }
        }
        Value::Array(a, f) => {
            let mut changed = false;
            let items: Vec<Value> = a
                .iter()
                .map(|x| {
                    let nx = substitute(x, map, depth + 1);
                    if !same(&nx, x) {
                        changed = true;
                    }
                    nx
                })
                .collect();
            if changed {
                Value::Array(Rc::new(items), *f)
            } else {
                v.clone()
            }
        }
        v => v.clone(),
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        (Value::Array(x, _), Value::Array(y, _)) => Rc::ptr_eq(x, y),
        _ => true,
    }
}

impl<'a> Evaluator<'a> {
    /// A fresh evaluator.
    pub fn new(cfg: &'a Environment) -> Evaluator<'a> {
        Evaluator {
            cfg,
            depth: 0,
            steps: 0,
            rng: cfg.seed ^ 0x9E37_79B9_7F4A_7C15,
            bound_frames: Vec::new(),
        }
    }

    /// Evaluate the root expression with the input and variable bindings.
    pub fn run(&mut self, root: &Node, input: Value, vars: &[(String, Value)]) -> R<Value> {
        let env: Env = Rc::new(Frame::default());
        for (k, v) in vars {
            bind(&env, &Rc::from(k.as_str()), v.clone());
        }
        bind(&env, &Rc::from("$"), input.clone());
        let input = match input {
            Value::Array(..) => Value::Array(Rc::new(vec![input]), SEQ | OUTER),
            v => v,
        };
        let r = self.evaluate(root, &input, &env);
        for f in self.bound_frames.drain(..) {
            if let Some(f) = f.upgrade() {
                let vars = std::mem::take(&mut *f.vars.borrow_mut());
                vars.into_iter().for_each(|(_, v)| dispose(v));
            }
        }
        let vars = std::mem::take(&mut *env.vars.borrow_mut());
        vars.into_iter().for_each(|(_, v)| dispose(v));
        Ok(match r? {
            Value::Tuples(t) => Value::seq(t.iter().map(|t| t.at.clone()).collect()),
            v => v,
        })
    }

    /// Count one step against the budget.
    pub fn tick(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > self.cfg.max_steps {
            return Err(Error::new("U1001"));
        }
        Ok(())
    }

    /// Evaluate a node.
    pub fn evaluate(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        self.depth += 1;
        self.steps += 1;
        if self.depth > self.cfg.max_depth || self.steps > self.cfg.max_steps {
            self.depth -= 1;
            return Err(Error::new("U1001").pos(expr.position));
        }
        let r = self.evaluate_inner(expr, input, env);
        self.depth -= 1;
        let mut result = r?;
        if let Value::Array(a, flags) = &result
            && flags & SEQ != 0
        {
            let mut flags = *flags;
            if expr.keep_array {
                flags |= KEEP;
            }
            if a.is_empty() {
                result = Value::Undefined;
            } else if a.len() == 1 && flags & KEEP == 0 {
                result = a[0].clone();
            } else if flags != result.flags() {
                result = result.with_flags(flags);
            }
        }
        Ok(result)
    }

    fn evaluate_inner(&mut self, expr: &Node, input: &Value, env: &Env) -> R<Value> {
        let mut result = match &expr.kind {
            Kind::Path(steps) => self.evaluate_path(expr, steps, input, env)?,
            Kind::Binary(op, l, r) => self.evaluate_binary(expr, *op, l, r, input, env)?,
            Kind::Neg(e) => self.evaluate_neg(expr, e, input, env)?,
            Kind::Array(items) => self.evaluate_array(expr, items, input, env)?,
            Kind::Object(pairs) => self.evaluate_group(pairs, expr.position, input, env)?,
            Kind::Name(n) => lookup_field(input, n),
            Kind::Str(s) => Value::String(s.clone()),
            Kind::Num(n) => Value::Number(*n),
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Null => Value::Null,
            Kind::Wildcard => evaluate_wildcard(input),
            Kind::Descendant => self.evaluate_descendants(input)?,
            Kind::Parent(slot) => {
                let label = slot.label.borrow().clone();
                lookup(env, &label).unwrap_or_default()
            }
            Kind::Condition(c, t, e) => self.evaluate_condition(c, t, e.as_deref(), input, env)?,
            Kind::Block(exprs) => self.evaluate_block(exprs, input, env)?,
            Kind::Bind(name, rhs) => {
                let v = self.evaluate(rhs, input, env)?;
                if v.is_function() {
                    self.bound_frames.push(Rc::downgrade(env));
                }
                bind(env, name, v.clone());
                v
            }
            Kind::Regex(re) => Value::Function(Rc::new(Func::Regex(re.clone()))),
            Kind::Function(proc, args) => {
                self.evaluate_function(expr, proc, args, input, env, None)?
            }
            Kind::Variable(name) => self.evaluate_variable(name, input, env),
            Kind::Lambda(def) => Value::Function(Rc::new(Func::Lambda {
                def: def.clone(),
                input: input.clone(),
                env: env.clone(),
                params: None,
            })),
            Kind::Partial(proc, args) => self.evaluate_partial(expr, proc, args, input, env)?,
            Kind::Apply(lhs, rhs) => self.evaluate_apply(expr, lhs, rhs, input, env)?,
            Kind::Transform(def) => Value::Function(Rc::new(Func::Transform {
                def: def.clone(),
                env: env.clone(),
            })),
            Kind::Sort(_) => input.clone(),
            Kind::Placeholder => Value::Undefined,
            _ => return Err(Error::new("S0206").pos(expr.position)),
        };
        if !expr.predicate.is_empty() {
            result = self.apply_predicates(&expr.predicate, result, env)?;
        }
        if !matches!(expr.kind, Kind::Path(_))
            && let Some(g) = &expr.group
        {
            result = self.evaluate_group(&g.pairs, g.position, &result, env)?;
        }
        Ok(result)
    }

    #[inline(never)]
    fn apply_predicates(&mut self, stages: &[Stage], mut result: Value, env: &Env) -> R<Value> {
        for stage in stages {
            if let Stage::Filter(p) = stage {
                result = self.evaluate_filter(p, result, env)?;
            }
        }
        Ok(result)
    }

    #[inline(never)]
    fn evaluate_neg(&mut self, expr: &Node, e: &Node, input: &Value, env: &Env) -> R<Value> {
        let v = self.evaluate(e, input, env)?;
        match v {
            Value::Undefined => Ok(Value::Undefined),
            Value::Number(n) if is_numeric(&v)? => Ok(Value::Number(-n)),
            v => Err(Error::new("D1002").pos(expr.position).token("-").val(&v)),
        }
    }

    #[inline(never)]
    fn evaluate_array(
        &mut self,
        expr: &Node,
        items: &[Node],
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        let mut out: Vec<Value> = Vec::with_capacity(items.len());
        for item in items {
            let v = self.evaluate(item, input, env)?;
            if v.is_undefined() {
                continue;
            }
            if item.is_array_cons() {
                out.push(v);
            } else {
                match v {
                    Value::Array(a, _) => out.extend(a.iter().cloned()),
                    Value::Tuples(t) => out.extend(t.iter().map(|t| t.at.clone())),
                    v => out.push(v),
                }
            }
        }
        Ok(Value::Array(
            Rc::new(out),
            if expr.cons_array { CONS } else { 0 },
        ))
    }

    #[inline(never)]
    fn evaluate_descendants(&mut self, input: &Value) -> R<Value> {
        let mut out = Vec::new();
        if !input.is_undefined() {
            self.descendants(input, &mut out, 0)?;
        }
        Ok(if out.len() == 1 {
            out.pop().unwrap_or_default()
        } else {
            Value::seq(out)
        })
    }

    #[inline(never)]
    fn evaluate_condition(
        &mut self,
        c: &Node,
        t: &Node,
        e: Option<&Node>,
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        let cv = self.evaluate(c, input, env)?;
        if truthy(&cv) {
            self.evaluate(t, input, env)
        } else if let Some(e) = e {
            self.evaluate(e, input, env)
        } else {
            Ok(Value::Undefined)
        }
    }

    #[inline(never)]
    fn evaluate_block(&mut self, exprs: &[Node], input: &Value, env: &Env) -> R<Value> {
        let frame = new_frame(env);
        let mut r = Value::Undefined;
        for e in exprs {
            let next = self.evaluate(e, input, &frame)?;
            dispose(std::mem::replace(&mut r, next));
        }
        Ok(r)
    }

    #[inline(never)]
    fn evaluate_variable(&mut self, name: &str, input: &Value, env: &Env) -> Value {
        if name.is_empty() {
            match input {
                Value::Array(a, f) if f & OUTER != 0 => a.first().cloned().unwrap_or_default(),
                v => v.clone(),
            }
        } else {
            self.lookup_var(env, name)
        }
    }

    #[inline(never)]
    fn evaluate_apply(
        &mut self,
        expr: &Node,
        lhs: &Node,
        rhs: &Node,
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        let l = self.evaluate(lhs, input, env)?;
        if let Kind::Function(p, a) = &rhs.kind {
            return self.evaluate_function(rhs, p, a, input, env, Some(l));
        }
        let f = self.evaluate(rhs, input, env)?;
        if !f.is_function() {
            return Err(Error::new("T2006").pos(expr.position).val(&f));
        }
        if l.is_function() {
            Ok(Value::Function(Rc::new(Func::Chain(l, f))))
        } else {
            self.apply(&f, vec![l], input, env)
                .map_err(|e| e.pos_if_none(expr.position))
        }
    }

    /// Look up a variable: bindings first, then the built-in functions.
    pub fn lookup_var(&self, env: &Env, name: &str) -> Value {
        if let Some(v) = lookup(env, name) {
            return v;
        }
        functions::builtin(name)
            .map(|b| Value::Function(Rc::new(Func::Builtin(b))))
            .unwrap_or_default()
    }

    fn descendants(&mut self, v: &Value, out: &mut Vec<Value>, depth: usize) -> R<()> {
        if depth > MAX_VALUE_DEPTH {
            return Err(Error::new("U1001"));
        }
        match v {
            Value::Array(a, _) => {
                for x in a.iter() {
                    self.descendants(x, out, depth + 1)?;
                }
            }
            Value::Object(o) => {
                out.push(v.clone());
                for x in o.values() {
                    self.descendants(x, out, depth + 1)?;
                }
            }
            v => out.push(v.clone()),
        }
        Ok(())
    }

    fn evaluate_path(&mut self, expr: &Node, steps: &[Node], input: &Value, env: &Env) -> R<Value> {
        let first_is_var = matches!(steps.first().map(|s| &s.kind), Some(Kind::Variable(_)));
        let mut input_seq = match input {
            Value::Array(..) if !first_is_var => input.clone(),
            v => Value::seq(vec![v.clone()]),
        };
        let mut result_seq = Value::Undefined;
        let mut is_tuple = false;
        let mut tuples: Option<Vec<Tuple>> = None;
        let n = steps.len();
        for (ii, step) in steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if ii == 0 && step.cons_array {
                result_seq = self.evaluate(step, &input_seq, env)?;
            } else if is_tuple {
                tuples = Some(self.evaluate_tuple_step(step, &input_seq, tuples, env)?);
            } else {
                result_seq = self.evaluate_step(step, &input_seq, env, ii == n - 1)?;
            }
            if !is_tuple {
                let empty = match &result_seq {
                    Value::Undefined => true,
                    Value::Array(a, _) => a.is_empty(),
                    _ => false,
                };
                if empty {
                    break;
                }
            }
            if step.focus.is_none() {
                input_seq = match &result_seq {
                    Value::Array(..) | Value::Undefined => result_seq.clone(),
                    v => Value::seq(vec![v.clone()]),
                };
            }
        }
        let mut tuple_stream = None;
        if is_tuple {
            let t = Rc::new(tuples.unwrap_or_default());
            if expr.tuple {
                result_seq = Value::Tuples(t.clone());
            } else {
                result_seq = Value::seq(t.iter().map(|t| t.at.clone()).collect());
            }
            tuple_stream = Some(Value::Tuples(t));
        }
        if expr.keep_singleton_array {
            if let Value::Array(_, f) = &result_seq
                && f & CONS != 0
                && f & SEQ == 0
            {
                result_seq = Value::seq(vec![result_seq.clone()]);
            }
            if let Value::Array(a, f) = result_seq {
                result_seq = Value::Array(a, f | KEEP);
            }
        }
        if let Some(g) = &expr.group {
            let source = tuple_stream.as_ref().unwrap_or(&result_seq);
            result_seq = self.evaluate_group(&g.pairs, g.position, source, env)?;
        }
        Ok(result_seq)
    }

    fn evaluate_step(&mut self, step: &Node, input: &Value, env: &Env, last: bool) -> R<Value> {
        if let Kind::Sort(terms) = &step.kind {
            let mut r = self.evaluate_sort(terms, step.position, input, env)?;
            if !step.stages.is_empty() {
                r = self.evaluate_stages(&step.stages, r, env)?;
            }
            return Ok(r);
        }
        let items: &[Value] = match input {
            Value::Array(a, _) => a,
            _ => &[],
        };
        let mut results: Vec<Value> = Vec::with_capacity(items.len());
        for item in items {
            let mut res = self.evaluate(step, item, env)?;
            for stage in &step.stages {
                if let Stage::Filter(p) = stage {
                    res = self.evaluate_filter(p, res, env)?;
                }
            }
            if !res.is_undefined() {
                results.push(res);
            }
        }
        if last
            && results.len() == 1
            && let Value::Array(_, f) = &results[0]
            && f & SEQ == 0
        {
            return Ok(results.pop().unwrap_or_default());
        }
        let mut out = Vec::with_capacity(results.len());
        for res in results {
            match res {
                Value::Array(a, f) if f & CONS == 0 => match Rc::try_unwrap(a) {
                    Ok(v) => out.extend(v),
                    Err(a) => out.extend(a.iter().cloned()),
                },
                Value::Tuples(t) => out.extend(t.iter().map(|t| t.at.clone())),
                v => out.push(v),
            }
        }
        Ok(Value::seq(out))
    }

    fn evaluate_stages(&mut self, stages: &[Stage], input: Value, env: &Env) -> R<Value> {
        let mut result = input;
        for stage in stages {
            match stage {
                Stage::Filter(p) => result = self.evaluate_filter(p, result, env)?,
                Stage::Index(name) => {
                    if let Value::Tuples(t) = &mut result {
                        let t = Rc::make_mut(t);
                        for (i, tuple) in t.iter_mut().enumerate() {
                            tuple.set(name, Value::Number(i as f64));
                        }
                    }
                }
            }
        }
        Ok(result)
    }

    fn evaluate_tuple_step(
        &mut self,
        step: &Node,
        input: &Value,
        tuples: Option<Vec<Tuple>>,
        env: &Env,
    ) -> R<Vec<Tuple>> {
        if let Kind::Sort(terms) = &step.kind {
            let mut result = if let Some(t) = tuples {
                self.evaluate_sort(terms, step.position, &Value::Tuples(Rc::new(t)), env)?
            } else {
                let sorted = self.evaluate_sort(terms, step.position, input, env)?;
                let mut out = Vec::new();
                for (i, v) in sorted.to_vec().into_iter().enumerate() {
                    let mut t = Tuple {
                        at: v,
                        vars: Vec::new(),
                    };
                    if let Some(ix) = &step.index {
                        t.set(ix, Value::Number(i as f64));
                    }
                    out.push(t);
                }
                Value::Tuples(Rc::new(out))
            };
            if !step.stages.is_empty() {
                result = self.evaluate_stages(&step.stages, result, env)?;
            }
            return Ok(match result {
                Value::Tuples(t) => Rc::try_unwrap(t).unwrap_or_else(|t| (*t).clone()),
                v => v
                    .to_vec()
                    .into_iter()
                    .map(|at| Tuple {
                        at,
                        vars: Vec::new(),
                    })
                    .collect(),
            });
        }
        let bindings = match tuples {
            Some(t) => t,
            None => input
                .to_vec()
                .into_iter()
                .map(|at| Tuple {
                    at,
                    vars: Vec::new(),
                })
                .collect(),
        };
        let mut result: Vec<Tuple> = Vec::new();
        for tuple in &bindings {
            let step_env = frame_from_tuple(env, tuple);
            let res = self.evaluate(step, &tuple.at, &step_env)?;
            match res {
                Value::Undefined => {}
                Value::Tuples(ts) => {
                    for r in ts.iter() {
                        let mut t = tuple.clone();
                        for (k, v) in &r.vars {
                            t.set(k, v.clone());
                        }
                        t.at = r.at.clone();
                        result.push(t);
                    }
                }
                res => {
                    let items = match res {
                        Value::Array(a, _) => Rc::try_unwrap(a).unwrap_or_else(|a| (*a).clone()),
                        v => vec![v],
                    };
                    for (bb, item) in items.into_iter().enumerate() {
                        let mut t = tuple.clone();
                        if let Some(f) = &step.focus {
                            t.set(f, item);
                        } else {
                            t.at = item;
                        }
                        if let Some(ix) = &step.index {
                            t.set(ix, Value::Number(bb as f64));
                        }
                        if let Some(anc) = &step.ancestor {
                            let label = anc.label.borrow().clone();
                            t.set(&label, tuple.at.clone());
                        }
                        result.push(t);
                    }
                }
            }
        }
        if !step.stages.is_empty() {
            let r = self.evaluate_stages(&step.stages, Value::Tuples(Rc::new(result)), env)?;
            return Ok(match r {
                Value::Tuples(t) => Rc::try_unwrap(t).unwrap_or_else(|t| (*t).clone()),
                _ => Vec::new(),
            });
        }
        Ok(result)
    }

    fn evaluate_filter(&mut self, pred: &Node, input: Value, env: &Env) -> R<Value> {
        if let Value::Tuples(ts) = &input {
            let mut out = Vec::new();
            let len = ts.len();
            if let Kind::Num(n) = pred.kind {
                let mut idx = n.floor();
                if idx < 0.0 {
                    idx += len as f64;
                }
                if idx >= 0.0
                    && let Some(t) = ts.get(idx as usize)
                {
                    out.push(t.clone());
                }
            } else {
                for (index, t) in ts.iter().enumerate() {
                    let e = frame_from_tuple(env, t);
                    let res = self.evaluate(pred, &t.at, &e)?;
                    if self.predicate_selects(&res, index, len)? {
                        out.push(t.clone());
                    }
                }
            }
            return Ok(Value::Tuples(Rc::new(out)));
        }
        let items: Rc<Vec<Value>> = match input {
            Value::Array(a, _) => a,
            v => Rc::new(vec![v]),
        };
        let len = items.len();
        if let Kind::Num(n) = pred.kind {
            let mut idx = n.floor();
            if idx < 0.0 {
                idx += len as f64;
            }
            if idx >= 0.0
                && let Some(item) = items.get(idx as usize)
            {
                if item.is_undefined() {
                    return Ok(Value::seq(vec![]));
                }
                if item.is_array() {
                    return Ok(item.clone());
                }
                return Ok(Value::seq(vec![item.clone()]));
            }
            return Ok(Value::seq(vec![]));
        }
        let mut out = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let res = self.evaluate(pred, item, env)?;
            if self.predicate_selects(&res, index, len)? {
                out.push(item.clone());
            }
        }
        Ok(Value::seq(out))
    }

    fn predicate_selects(&self, res: &Value, index: usize, len: usize) -> R<bool> {
        let check = |n: f64| {
            let mut ii = n.floor();
            if ii < 0.0 {
                ii += len as f64;
            }
            ii == index as f64
        };
        match res {
            Value::Number(n) if is_numeric(res)? => Ok(check(*n)),
            Value::Array(a, _) if !a.is_empty() => {
                let mut all_num = true;
                for v in a.iter() {
                    if !is_numeric(v)? {
                        all_num = false;
                        break;
                    }
                }
                if all_num {
                    Ok(a.iter().any(|v| check(v.as_f64().unwrap_or(f64::NAN))))
                } else {
                    Ok(truthy(res))
                }
            }
            Value::Array(..) => Ok(false),
            v => Ok(truthy(v)),
        }
    }

    fn evaluate_binary(
        &mut self,
        expr: &Node,
        op: BinOp,
        l: &Node,
        r: &Node,
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        let lhs = self.evaluate(l, input, env)?;
        if op == BinOp::And {
            return Ok(Value::Bool(
                truthy(&lhs) && truthy(&self.evaluate(r, input, env)?),
            ));
        }
        if op == BinOp::Or {
            return Ok(Value::Bool(
                truthy(&lhs) || truthy(&self.evaluate(r, input, env)?),
            ));
        }
        let rhs = self.evaluate(r, input, env)?;
        if let (BinOp::Range, Value::Number(a), Value::Number(b)) = (op, &lhs, &rhs)
            && b - a > 0.0
            && b - a <= 1e7
            && self.steps + ((b - a) as u64) / 4 > self.cfg.max_steps
        {
            return Err(Error::new("U1001").pos(expr.position));
        }
        let v = binary_op(op, &lhs, &rhs).map_err(|e| e.pos(expr.position).token(op.symbol()))?;
        if let (BinOp::Range, Value::Array(a, _)) = (op, &v) {
            // building a range costs time too: charge it to the step budget
            self.steps += a.len() as u64 / 4;
            self.tick()?;
        }
        Ok(v)
    }

    /// Group or construct an object from `pairs` over the input sequence.
    fn evaluate_group(
        &mut self,
        pairs: &[(Node, Node)],
        position: usize,
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        enum Data {
            Plain(Value),
            Tuples(Vec<Tuple>),
        }
        let mut groups: IndexMap<Rc<str>, (Data, usize), FxBuild> = IndexMap::default();
        if let Value::Tuples(ts) = input {
            let ts: Vec<Tuple> = if ts.is_empty() {
                vec![Tuple::default()]
            } else {
                ts.as_ref().clone()
            };
            for t in ts {
                let e = frame_from_tuple(env, &t);
                for (pi, (k, _)) in pairs.iter().enumerate() {
                    let key = self.evaluate(k, &t.at, &e)?;
                    let key = match key {
                        Value::Undefined => continue,
                        Value::String(s) => s,
                        v => return Err(Error::new("T1003").pos(position).val(&v)),
                    };
                    match groups.get_mut(&key) {
                        Some((Data::Tuples(list), idx)) => {
                            if *idx != pi {
                                return Err(Error::new("D1009").pos(position).value_str(&key));
                            }
                            list.push(t.clone());
                        }
                        Some(_) => {}
                        None => {
                            groups.insert(key, (Data::Tuples(vec![t.clone()]), pi));
                        }
                    }
                }
            }
        } else {
            let items: Vec<Value> = match input {
                Value::Array(a, _) if !a.is_empty() => a.as_ref().clone(),
                Value::Array(..) => vec![Value::Undefined],
                v => vec![v.clone()],
            };
            for item in items {
                for (pi, (k, _)) in pairs.iter().enumerate() {
                    let key = self.evaluate(k, &item, env)?;
                    let key = match key {
                        Value::Undefined => continue,
                        Value::String(s) => s,
                        v => return Err(Error::new("T1003").pos(position).val(&v)),
                    };
                    match groups.get_mut(&key) {
                        Some((Data::Plain(data), idx)) => {
                            if *idx != pi {
                                return Err(Error::new("D1009").pos(position).value_str(&key));
                            }
                            let d = std::mem::take(data);
                            *data = append(d, item.clone());
                        }
                        Some(_) => {}
                        None => {
                            groups.insert(key, (Data::Plain(item.clone()), pi));
                        }
                    }
                }
            }
        }
        let mut result = new_map(groups.len());
        for (key, (data, idx)) in groups {
            let v = match data {
                Data::Plain(ctx) => self.evaluate(&pairs[idx].1, &ctx, env)?,
                Data::Tuples(list) => {
                    let (ctx, vars) = reduce_tuples(list);
                    let e = frame_from_tuple(
                        env,
                        &Tuple {
                            at: Value::Undefined,
                            vars,
                        },
                    );
                    self.evaluate(&pairs[idx].1, &ctx, &e)?
                }
            };
            if !v.is_undefined() {
                result.insert(key, v);
            }
        }
        Ok(Value::Object(Rc::new(result)))
    }

    /// Sort `input` (an array or a tuple stream) by the order-by terms.
    fn evaluate_sort(
        &mut self,
        terms: &[SortTerm],
        position: usize,
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        let (contexts, envs): (Vec<Value>, Option<Vec<Env>>) = match input {
            Value::Tuples(ts) => (
                ts.iter().map(|t| t.at.clone()).collect(),
                Some(ts.iter().map(|t| frame_from_tuple(env, t)).collect()),
            ),
            Value::Array(a, _) => (a.as_ref().clone(), None),
            Value::Undefined => return Ok(Value::Undefined),
            v => (vec![v.clone()], None),
        };
        if contexts.len() <= 1 {
            return Ok(input.clone());
        }
        let mut keys: Vec<Vec<Value>> = Vec::with_capacity(contexts.len());
        for (i, c) in contexts.iter().enumerate() {
            let e = envs.as_ref().and_then(|v| v.get(i)).unwrap_or(env).clone();
            let mut k = Vec::with_capacity(terms.len());
            for t in terms {
                k.push(self.evaluate(&t.expr, c, &e)?);
            }
            keys.push(k);
        }
        let mut err: Option<crate::EvalError> = None;
        let mut idx: Vec<usize> = (0..contexts.len()).collect();
        idx.sort_by(|&a, &b| {
            if err.is_some() {
                return std::cmp::Ordering::Equal;
            }
            for (ti, t) in terms.iter().enumerate() {
                let (aa, bb) = (&keys[a][ti], &keys[b][ti]);
                let ord = match (aa, bb) {
                    (Value::Undefined, Value::Undefined) => continue,
                    (Value::Undefined, _) => return std::cmp::Ordering::Greater,
                    (_, Value::Undefined) => return std::cmp::Ordering::Less,
                    (Value::Number(x), Value::Number(y)) => {
                        x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal)
                    }
                    (Value::String(x), Value::String(y)) => x.cmp(y),
                    (Value::Number(_) | Value::String(_), Value::Number(_) | Value::String(_)) => {
                        err = Some(Error::new("T2007").pos(position).val(aa).val2(bb));
                        return std::cmp::Ordering::Equal;
                    }
                    _ => {
                        let bad = if matches!(aa, Value::Number(_) | Value::String(_)) {
                            bb
                        } else {
                            aa
                        };
                        err = Some(Error::new("T2008").pos(position).val(bad));
                        return std::cmp::Ordering::Equal;
                    }
                };
                if ord == std::cmp::Ordering::Equal {
                    continue;
                }
                return if t.descending { ord.reverse() } else { ord };
            }
            std::cmp::Ordering::Equal
        });
        if let Some(e) = err {
            return Err(e);
        }
        Ok(match input {
            Value::Tuples(ts) => {
                Value::Tuples(Rc::new(idx.iter().map(|&i| ts[i].clone()).collect()))
            }
            _ => Value::arr(idx.iter().map(|&i| contexts[i].clone()).collect()),
        })
    }

    fn evaluate_function(
        &mut self,
        expr: &Node,
        proc: &Node,
        args: &[Node],
        input: &Value,
        env: &Env,
        applyto: Option<Value>,
    ) -> R<Value> {
        let f = self.evaluate(proc, input, env)?;
        if f.is_undefined()
            && let Kind::Path(steps) = &proc.kind
            && let Some(Kind::Name(n)) = steps.first().map(|s| &s.kind)
            && !self.lookup_var(env, n).is_undefined()
        {
            return Err(Error::new("T1005").pos(expr.position).token(n));
        }
        let mut evaluated = Vec::with_capacity(args.len() + 1);
        if let Some(a) = applyto {
            evaluated.push(a);
        }
        for a in args {
            evaluated.push(self.evaluate(a, input, env)?);
        }
        let name = proc_name(proc);
        self.apply(&f, evaluated, input, env).map_err(|e| {
            let e = e.pos_if_none(expr.position);
            if e.token.is_none() { e.token(&name) } else { e }
        })
    }

    fn evaluate_partial(
        &mut self,
        expr: &Node,
        proc: &Node,
        args: &[Node],
        input: &Value,
        env: &Env,
    ) -> R<Value> {
        let mut evaluated: Vec<Option<Value>> = Vec::with_capacity(args.len());
        for a in args {
            if matches!(a.kind, Kind::Placeholder) {
                evaluated.push(None);
            } else {
                evaluated.push(Some(self.evaluate(a, input, env)?));
            }
        }
        let f = self.evaluate(proc, input, env)?;
        if f.is_undefined()
            && let Kind::Path(steps) = &proc.kind
            && let Some(Kind::Name(n)) = steps.first().map(|s| &s.kind)
            && !self.lookup_var(env, n).is_undefined()
        {
            return Err(Error::new("T1007").pos(expr.position).token(n));
        }
        match &f {
            Value::Function(func) => match func.as_ref() {
                Func::Lambda {
                    def,
                    input: li,
                    env: le,
                    params,
                } => {
                    let ps = params.as_ref().unwrap_or(&def.params);
                    let e = new_frame(le);
                    let mut unbound = Vec::new();
                    for (i, p) in ps.iter().enumerate() {
                        match evaluated.get(i) {
                            Some(None) => unbound.push(p.clone()),
                            Some(Some(v)) => bind(&e, p, v.clone()),
                            None => bind(&e, p, Value::Undefined),
                        }
                    }
                    Ok(Value::Function(Rc::new(Func::Lambda {
                        def: def.clone(),
                        input: li.clone(),
                        env: e,
                        params: Some(unbound),
                    })))
                }
                _ => {
                    let arity = func.arity().max(evaluated.len());
                    let mut a = evaluated;
                    if let Func::Builtin(_) = func.as_ref() {
                        a.truncate(func.arity().max(1));
                    }
                    while a.len() < arity
                        && matches!(func.as_ref(), Func::Builtin(_))
                        && a.len() < func.arity()
                    {
                        a.push(Some(Value::Undefined));
                    }
                    Ok(Value::Function(Rc::new(Func::PartialNative {
                        func: func.clone(),
                        args: a,
                    })))
                }
            },
            _ => Err(Error::new("T1008")
                .pos(expr.position)
                .token(&proc_name(proc))),
        }
    }

    /// Apply a function value to arguments (with the tail-call trampoline).
    pub fn apply(&mut self, f: &Value, args: Vec<Value>, input: &Value, env: &Env) -> R<Value> {
        let mut result = self.apply_inner(f, args, input, env)?;
        loop {
            let thunk = match &result {
                Value::Function(func) => match func.as_ref() {
                    Func::Lambda {
                        def,
                        input: ti,
                        env: te,
                        ..
                    } if def.thunk => Some((def.clone(), ti.clone(), te.clone())),
                    _ => None,
                },
                _ => None,
            };
            let Some((def, ti, te)) = thunk else { break };
            let Kind::Function(proc, args) = &def.body.kind else {
                break;
            };
            let next = self.evaluate(proc, &ti, &te)?;
            let mut ev = Vec::with_capacity(args.len());
            for a in args {
                ev.push(self.evaluate(a, &ti, &te)?);
            }
            let name = proc_name(proc);
            result = self.apply_inner(&next, ev, input, env).map_err(|e| {
                let e = e.pos_if_none(def.body.position);
                if e.token.is_none() { e.token(&name) } else { e }
            })?;
        }
        Ok(result)
    }

    fn apply_inner(&mut self, f: &Value, args: Vec<Value>, input: &Value, env: &Env) -> R<Value> {
        self.tick()?;
        let Value::Function(func) = f else {
            return Err(Error::new("T1006"));
        };
        match func.as_ref() {
            Func::Lambda {
                def,
                input: li,
                env: le,
                params,
            } => {
                let args = match (&def.signature, params) {
                    (Some(sig), None) => sig.validate(&args, input)?,
                    _ => args,
                };
                let ps = params.as_ref().unwrap_or(&def.params);
                let e = new_frame(le);
                for (i, p) in ps.iter().enumerate() {
                    bind(&e, p, args.get(i).cloned().unwrap_or_default());
                }
                self.evaluate(&def.body, li, &e)
            }
            Func::Builtin(b) => {
                let sig = builtin_signature(b)?;
                let args = sig.validate(&args, input)?;
                (b.imp)(self, &args, env)
            }
            Func::PartialNative { func, args: pargs } => {
                let mut supplied = args.into_iter();
                let mut full: Vec<Value> = pargs
                    .iter()
                    .map(|a| match a {
                        Some(v) => v.clone(),
                        None => supplied.next().unwrap_or_default(),
                    })
                    .collect();
                while matches!(full.last(), Some(Value::Undefined)) {
                    full.pop();
                }
                self.apply_inner(&Value::Function(func.clone()), full, &Value::Undefined, env)
            }
            Func::Transform { def, env: te } => {
                let obj = args.into_iter().next().unwrap_or_default();
                self.transform(def, obj, te)
            }
            Func::Regex(re) => {
                let text = match args.first() {
                    Some(Value::String(s)) => s.clone(),
                    _ => return Ok(Value::Undefined),
                };
                Ok(functions::regex_match_value(re, &text, 0)?)
            }
            Func::RegexNext { re, text, from } => {
                if *from >= text.len() {
                    return Ok(Value::Undefined);
                }
                let v = functions::regex_match_value(re, text, *from)?;
                if let Value::Object(o) = &v
                    && matches!(o.get("match"), Some(Value::String(s)) if s.is_empty())
                {
                    return Err(Error::new("D1004").value_str(&re.source));
                }
                Ok(v)
            }
            Func::Chain(a, b) => {
                let x = args.into_iter().next().unwrap_or_default();
                let y = self.apply(a, vec![x], &Value::Undefined, env)?;
                self.apply(b, vec![y], &Value::Undefined, env)
            }
        }
    }

    fn transform(&mut self, def: &TransformDef, obj: Value, env: &Env) -> R<Value> {
        if obj.is_undefined() {
            return Ok(Value::Undefined);
        }
        if let Some(c) = lookup(env, "clone")
            && !c.is_function()
        {
            return Err(Error::new("T2013").pos(def.position));
        }
        if !matches!(obj, Value::Object(_) | Value::Array(..)) {
            return Err(Error::new("T0410").index(1).val(&obj).token("clone"));
        }
        let result = deep_clone(&obj, 0);
        let matches = self.evaluate(&def.pattern, &result, env)?;
        let matches = match matches {
            Value::Undefined => return Ok(result),
            Value::Array(a, _) => a.as_ref().clone(),
            Value::Tuples(t) => t.iter().map(|t| t.at.clone()).collect(),
            v => vec![v],
        };
        let mut map: IndexMap<*const Map, Value, FxBuild> = IndexMap::default();
        for m in matches {
            let Some(ptr) = ptr_of(&m) else {
                // non-objects: still evaluate the clauses for their errors
                let u = self.evaluate(&def.update, &m, env)?;
                if !u.is_undefined() && !matches!(u, Value::Object(_)) {
                    return Err(Error::new("T2011").pos(def.update.position).val(&u));
                }
                continue;
            };
            let current = if map.is_empty() {
                m.clone()
            } else {
                substitute(&m, &map, 0)
            };
            let update = self.evaluate(&def.update, &current, env)?;
            let mut obj = match &current {
                Value::Object(o) => o.as_ref().clone(),
                _ => new_map(0),
            };
            match update {
                Value::Undefined => {}
                Value::Object(u) => {
                    for (k, v) in u.iter() {
                        obj.insert(k.clone(), v.clone());
                    }
                }
                u => return Err(Error::new("T2011").pos(def.update.position).val(&u)),
            }
            if let Some(del) = &def.delete {
                let d = self.evaluate(del, &current, env)?;
                if !d.is_undefined() {
                    let list = match &d {
                        Value::Array(a, _) => a.as_ref().clone(),
                        v => vec![v.clone()],
                    };
                    if !list.iter().all(|v| matches!(v, Value::String(_))) {
                        return Err(Error::new("T2012").pos(del.position).val(&d));
                    }
                    for k in list {
                        if let Value::String(k) = k {
                            obj.shift_remove(&k);
                        }
                    }
                }
            }
            map.insert(ptr, Value::Object(Rc::new(obj)));
        }
        if map.is_empty() {
            return Ok(result);
        }
        Ok(substitute(&result, &map, 0))
    }
}

thread_local! {
    static SIGNATURES: std::cell::RefCell<std::collections::HashMap<&'static str, Rc<crate::signature::Signature>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A built-in's parsed signature (parsed once per thread).
fn builtin_signature(b: &functions::Builtin) -> R<Rc<crate::signature::Signature>> {
    if let Some(s) = SIGNATURES.with(|m| m.borrow().get(b.name).cloned()) {
        return Ok(s);
    }
    let sig = Rc::new(crate::signature::Signature::parse(b.signature)?);
    SIGNATURES.with(|m| m.borrow_mut().insert(b.name, sig.clone()));
    Ok(sig)
}

fn reduce_tuples(list: Vec<Tuple>) -> (Value, Vec<(Rc<str>, Value)>) {
    let mut iter = list.into_iter();
    let Some(first) = iter.next() else {
        return (Value::Undefined, Vec::new());
    };
    let mut at = first.at;
    let mut vars = first.vars;
    for t in iter {
        at = append(at, t.at);
        for (k, v) in t.vars {
            if let Some(slot) = vars.iter_mut().find(|(n, _)| *n == k) {
                let old = std::mem::take(&mut slot.1);
                slot.1 = append(old, v);
            } else {
                vars.push((k, v));
            }
        }
    }
    (at, vars)
}

fn proc_name(proc: &Node) -> String {
    match &proc.kind {
        Kind::Path(steps) => match steps.first().map(|s| &s.kind) {
            Some(Kind::Name(n)) => n.to_string(),
            _ => String::new(),
        },
        Kind::Variable(v) => v.to_string(),
        _ => String::new(),
    }
}

/// `fn.lookup`: a field of an object, mapped over arrays.
pub fn lookup_field(input: &Value, key: &str) -> Value {
    lookup_field_at(input, key, 0)
}

fn lookup_field_at(input: &Value, key: &str, depth: usize) -> Value {
    match input {
        Value::Object(o) => o.get(key).cloned().unwrap_or_default(),
        Value::Array(a, _) => {
            let mut out = Vec::new();
            if depth > MAX_VALUE_DEPTH {
                return Value::Undefined;
            }
            for item in a.iter() {
                match lookup_field_at(item, key, depth + 1) {
                    Value::Undefined => {}
                    Value::Array(x, _) => out.extend(x.iter().cloned()),
                    v => out.push(v),
                }
            }
            Value::seq(out)
        }
        _ => Value::Undefined,
    }
}

fn flatten_into(v: &Value, out: &mut Vec<Value>, depth: usize) {
    match v {
        Value::Array(a, _) if depth < MAX_VALUE_DEPTH => {
            for x in a.iter() {
                flatten_into(x, out, depth + 1);
            }
        }
        v => out.push(v.clone()),
    }
}

fn evaluate_wildcard(input: &Value) -> Value {
    let input = match input {
        Value::Array(a, f) if f & OUTER != 0 && !a.is_empty() => &a[0],
        v => v,
    };
    let mut out = Vec::new();
    let mut push = |v: &Value| match v {
        Value::Array(..) => flatten_into(v, &mut out, 0),
        v => out.push(v.clone()),
    };
    match input {
        Value::Object(o) => o.values().for_each(&mut push),
        Value::Array(a, _) => a.iter().for_each(&mut push),
        _ => {}
    }
    Value::seq(out)
}

/// The binary operators other than `and`/`or`.
pub fn binary_op(op: BinOp, lhs: &Value, rhs: &Value) -> R<Value> {
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
            if !lhs.is_undefined() && !is_numeric(lhs)? {
                return Err(Error::new("T2001").val(lhs));
            }
            if !rhs.is_undefined() && !is_numeric(rhs)? {
                return Err(Error::new("T2002").val(rhs));
            }
            let (Some(a), Some(b)) = (lhs.as_f64(), rhs.as_f64()) else {
                return Ok(Value::Undefined);
            };
            Ok(Value::Number(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
                _ => a % b,
            }))
        }
        BinOp::Eq | BinOp::Ne => {
            if lhs.is_undefined() || rhs.is_undefined() {
                return Ok(Value::Bool(false));
            }
            let eq = deep_equal(lhs, rhs);
            Ok(Value::Bool(if op == BinOp::Eq { eq } else { !eq }))
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let comparable =
                |v: &Value| matches!(v, Value::Undefined | Value::String(_) | Value::Number(_));
            if !comparable(lhs) || !comparable(rhs) {
                let bad = if matches!(lhs, Value::String(_) | Value::Number(_)) {
                    rhs
                } else {
                    lhs
                };
                return Err(Error::new("T2010").val(bad));
            }
            if lhs.is_undefined() || rhs.is_undefined() {
                return Ok(Value::Undefined);
            }
            let ord = match (lhs, rhs) {
                (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
                (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
                _ => return Err(Error::new("T2009").val(lhs).val2(rhs)),
            };
            use std::cmp::Ordering::*;
            Ok(Value::Bool(match (op, ord) {
                (_, None) => false,
                (BinOp::Lt, Some(o)) => o == Less,
                (BinOp::Le, Some(o)) => o != Greater,
                (BinOp::Gt, Some(o)) => o == Greater,
                (_, Some(o)) => o != Less,
            }))
        }
        BinOp::Concat => {
            let mut s = String::new();
            if !lhs.is_undefined() {
                s.push_str(&functions::to_string(lhs)?);
            }
            if !rhs.is_undefined() {
                s.push_str(&functions::to_string(rhs)?);
            }
            Ok(Value::str(&s))
        }
        BinOp::Range => {
            let int =
                |v: &Value| matches!(v, Value::Number(n) if n.fract() == 0.0 && n.is_finite());
            if !lhs.is_undefined() && !int(lhs) {
                return Err(Error::new("T2003").val(lhs));
            }
            if !rhs.is_undefined() && !int(rhs) {
                return Err(Error::new("T2004").val(rhs));
            }
            let (Some(a), Some(b)) = (lhs.as_f64(), rhs.as_f64()) else {
                return Ok(Value::Undefined);
            };
            if a > b {
                return Ok(Value::Undefined);
            }
            let size = b - a + 1.0;
            if size > 1e7 {
                return Err(Error::new("D2014").value_num(size));
            }
            let (a, b) = (a as i64, b as i64);
            Ok(Value::seq(
                (a..=b).map(|i| Value::Number(i as f64)).collect(),
            ))
        }
        BinOp::In => {
            if lhs.is_undefined() || rhs.is_undefined() {
                return Ok(Value::Bool(false));
            }
            let strict = |a: &Value, b: &Value| match (a, b) {
                (Value::Object(_), Value::Object(_))
                | (Value::Array(..), Value::Array(..))
                | (Value::Function(_), Value::Function(_)) => same(a, b) && ptr_eq_fn(a, b),
                _ => deep_equal(a, b),
            };
            Ok(Value::Bool(match rhs {
                Value::Array(a, _) => a.iter().any(|v| strict(v, lhs)),
                v => strict(v, lhs),
            }))
        }
        BinOp::And | BinOp::Or => Ok(Value::Undefined),
    }
}

fn ptr_eq_fn(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        _ => true,
    }
}
