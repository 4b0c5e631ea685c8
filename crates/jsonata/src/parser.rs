//! The Pratt parser and the post-parse pass that flattens paths, attaches predicates,
//! resolves the parent operator and marks tail calls.
// The post-parse pass hands boxed subtrees on unchanged: moving a 176-byte node out of its
// box in every caller would grow the (recursive) stack frames.
#![allow(clippy::boxed_local)]

use crate::Error;
use crate::ast::*;
use crate::lexer::{Lexer, Tok, Token};
use crate::signature::Signature;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// The deepest syntax tree accepted (error `U1001` beyond): parsing, the post-parse pass and
/// dropping the tree recurse along it, so this bounds their stack use.
const MAX_PARSE_DEPTH: usize = 120;

fn binding_power(op: &str) -> i32 {
    match op {
        "." => 75,
        "[" | "(" | "@" | "#" => 80,
        "{" => 70,
        "?" => 20,
        "+" | "-" | "&" => 50,
        "*" | "/" | "%" => 60,
        "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "in" => 40,
        ":=" => 10,
        "and" => 30,
        "or" => 25,
        _ => 0,
    }
}

#[derive(Debug, Clone)]
enum Cur {
    End(usize),
    Tok(Token),
}

struct Parser {
    lex: Lexer,
    cur: Cur,
    depth: usize,
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Name(s) | Tok::Variable(s) | Tok::Str(s) => s.to_string(),
        Tok::Operator(o) => o.to_string(),
        Tok::Num(n) => crate::value::fmt_number(*n),
        Tok::Bool(b) => b.to_string(),
        Tok::Null => "null".into(),
        Tok::Regex(r) => r.source.clone(),
    }
}

impl Parser {
    fn id(&self) -> &str {
        match &self.cur {
            Cur::End(_) => "(end)",
            Cur::Tok(t) => match &t.tok {
                Tok::Operator(o) => o,
                Tok::Name(_) | Tok::Variable(_) => "(name)",
                Tok::Regex(_) => "(regex)",
                _ => "(literal)",
            },
        }
    }

    fn position(&self) -> usize {
        match &self.cur {
            Cur::End(p) => *p,
            Cur::Tok(t) => t.position,
        }
    }

    fn cur_text(&self) -> Option<String> {
        match &self.cur {
            Cur::End(_) => None,
            Cur::Tok(t) => Some(tok_text(&t.tok)),
        }
    }

    fn lbp(&self) -> i32 {
        match &self.cur {
            Cur::Tok(Token {
                tok: Tok::Operator(o),
                ..
            }) => binding_power(o),
            _ => 0,
        }
    }

    fn advance(&mut self, expect: Option<&str>, infix: bool) -> Result<(), crate::EvalError> {
        if let Some(id) = expect
            && self.id() != id
        {
            let code = if matches!(self.cur, Cur::End(_)) {
                "S0203"
            } else {
                "S0202"
            };
            let mut e = Error::new(code).pos(self.position()).value_str(id);
            if let Some(t) = self.cur_text() {
                e = e.token(&t);
            }
            return Err(e);
        }
        match self.lex.next(infix)? {
            None => self.cur = Cur::End(self.lex.len()),
            Some(t) => {
                if let Tok::Operator(o) = &t.tok
                    && matches!(*o, "!" | "~")
                {
                    return Err(Error::new("S0204").pos(t.position).token(o));
                }
                self.cur = Cur::Tok(t);
            }
        }
        Ok(())
    }

    fn expression(&mut self, rbp: i32) -> Result<Node, crate::EvalError> {
        // `depth` is the depth of the tree being built here: nested expressions and each
        // operator applied to `left` both add a level.
        let base = self.depth;
        if base + 1 > MAX_PARSE_DEPTH {
            return Err(Error::new("U1001").pos(self.position()));
        }
        self.depth = base + 1;
        let t = self.cur.clone();
        self.advance(None, true)?;
        let mut left = self.nud(t)?;
        let mut chain = 1;
        while rbp < self.lbp() {
            chain += 1;
            if base + chain > MAX_PARSE_DEPTH {
                return Err(Error::new("U1001").pos(self.position()));
            }
            self.depth = base + chain;
            let t = self.cur.clone();
            self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        self.depth = base;
        Ok(left)
    }

    fn nud(&mut self, t: Cur) -> Result<Node, crate::EvalError> {
        let t = match t {
            Cur::End(p) => return Err(Error::new("S0207").pos(p)),
            Cur::Tok(t) => t,
        };
        let pos = t.position;
        let kind = match t.tok {
            Tok::Name(n) => Kind::Name(n),
            Tok::Variable(v) => Kind::Variable(v),
            Tok::Str(s) => Kind::Str(s),
            Tok::Num(n) => Kind::Num(n),
            Tok::Bool(b) => Kind::Bool(b),
            Tok::Null => Kind::Null,
            Tok::Regex(r) => Kind::Regex(r),
            Tok::Operator(op) => match op {
                "-" => Kind::Neg(Box::new(self.expression(70)?)),
                "*" => Kind::Wildcard,
                "**" => Kind::Descendant,
                "%" => Kind::Parent(Rc::new(Slot {
                    label: RefCell::new("".into()),
                    level: Cell::new(1),
                    index: 0,
                })),
                "and" | "or" | "in" => Kind::Name(op.into()),
                "(" => self.block()?,
                "[" => self.array()?,
                "{" => Kind::Object(self.object_pairs()?),
                "|" => self.transform(pos)?,
                _ => return Err(Error::new("S0211").pos(pos).token(op)),
            },
        };
        Ok(Node::new(kind, pos))
    }

    #[inline(never)]
    fn block(&mut self) -> Result<Kind, crate::EvalError> {
        let mut exprs = Vec::new();
        while self.id() != ")" {
            exprs.push(self.expression(0)?);
            if self.id() != ";" {
                break;
            }
            self.advance(Some(";"), false)?;
        }
        self.advance(Some(")"), true)?;
        Ok(Kind::Block(exprs))
    }
    #[inline(never)]
    fn array(&mut self) -> Result<Kind, crate::EvalError> {
        let mut items = Vec::new();
        if self.id() != "]" {
            loop {
                let mut item = self.expression(0)?;
                if self.id() == ".." {
                    let rpos = self.position();
                    self.advance(Some(".."), false)?;
                    let rhs = self.expression(0)?;
                    item = Node::new(
                        Kind::Binary(BinOp::Range, Box::new(item), Box::new(rhs)),
                        rpos,
                    );
                }
                items.push(item);
                if self.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("]"), true)?;
        Ok(Kind::Array(items))
    }
    #[inline(never)]
    fn transform(&mut self, pos: usize) -> Result<Kind, crate::EvalError> {
        let pattern = self.expression(0)?;
        self.advance(Some("|"), false)?;
        let update = self.expression(0)?;
        let mut delete = None;
        if self.id() == "," {
            self.advance(Some(","), false)?;
            delete = Some(self.expression(0)?);
        }
        self.advance(Some("|"), false)?;
        Ok(Kind::Transform(Rc::new(TransformDef {
            pattern,
            update,
            delete,
            position: pos,
        })))
    }

    fn object_pairs(&mut self) -> Result<Vec<(Node, Node)>, crate::EvalError> {
        let mut pairs = Vec::new();
        if self.id() != "}" {
            loop {
                let k = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if self.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(pairs)
    }

    fn led(&mut self, t: Cur, left: Node) -> Result<Node, crate::EvalError> {
        let Cur::Tok(t) = t else {
            return Err(Error::new("S0207").pos(self.position()));
        };
        let pos = t.position;
        let Tok::Operator(op) = t.tok else {
            return Err(Error::new("S0201").pos(pos).token(&tok_text(&t.tok)));
        };
        let bp = binding_power(op);
        let bin = |o: BinOp, l: Node, r: Node| Kind::Binary(o, Box::new(l), Box::new(r));
        let kind = match op {
            "." => Kind::Dot(Box::new(left), Box::new(self.expression(bp)?)),
            "+" => bin(BinOp::Add, left, self.expression(bp)?),
            "-" => bin(BinOp::Sub, left, self.expression(bp)?),
            "*" => bin(BinOp::Mul, left, self.expression(bp)?),
            "/" => bin(BinOp::Div, left, self.expression(bp)?),
            "%" => bin(BinOp::Mod, left, self.expression(bp)?),
            "=" => bin(BinOp::Eq, left, self.expression(bp)?),
            "!=" => bin(BinOp::Ne, left, self.expression(bp)?),
            "<" => bin(BinOp::Lt, left, self.expression(bp)?),
            "<=" => bin(BinOp::Le, left, self.expression(bp)?),
            ">" => bin(BinOp::Gt, left, self.expression(bp)?),
            ">=" => bin(BinOp::Ge, left, self.expression(bp)?),
            "&" => bin(BinOp::Concat, left, self.expression(bp)?),
            "and" => bin(BinOp::And, left, self.expression(bp)?),
            "or" => bin(BinOp::Or, left, self.expression(bp)?),
            "in" => bin(BinOp::In, left, self.expression(bp)?),
            "~>" => Kind::Apply(Box::new(left), Box::new(self.expression(bp)?)),
            "(" => return self.call(left, pos),
            "[" => {
                if self.id() == "]" {
                    let mut left = left;
                    {
                        let mut step = &mut left;
                        while let Kind::FilterRaw(l, _) = &mut step.kind {
                            step = l;
                        }
                        step.keep_array = true;
                    }
                    self.advance(Some("]"), false)?;
                    return Ok(left);
                }
                let rhs = self.expression(0)?;
                self.advance(Some("]"), true)?;
                Kind::FilterRaw(Box::new(left), Box::new(rhs))
            }
            "^" => {
                self.advance(Some("("), false)?;
                let mut terms = Vec::new();
                loop {
                    let mut descending = false;
                    if self.id() == "<" {
                        self.advance(Some("<"), false)?;
                    } else if self.id() == ">" {
                        descending = true;
                        self.advance(Some(">"), false)?;
                    }
                    let expr = self.expression(0)?;
                    terms.push(SortTerm { descending, expr });
                    if self.id() != "," {
                        break;
                    }
                    self.advance(Some(","), false)?;
                }
                self.advance(Some(")"), false)?;
                Kind::SortRaw(Box::new(left), terms)
            }
            "{" => Kind::GroupRaw(Box::new(left), self.object_pairs()?),
            ":=" => {
                let Kind::Variable(name) = &left.kind else {
                    return Err(Error::new("S0212")
                        .pos(left.position)
                        .token(&node_text(&left)));
                };
                let name = name.clone();
                Kind::Bind(name, Box::new(self.expression(bp - 1)?))
            }
            "@" | "#" => {
                let rhs = self.expression(bp)?;
                let Kind::Variable(name) = &rhs.kind else {
                    return Err(Error::new("S0214").pos(rhs.position).token(op));
                };
                if op == "@" {
                    Kind::FocusRaw(Box::new(left), name.clone())
                } else {
                    Kind::IndexRaw(Box::new(left), name.clone())
                }
            }
            "?" => {
                let then = self.expression(0)?;
                let mut els = None;
                if self.id() == ":" {
                    self.advance(Some(":"), false)?;
                    els = Some(Box::new(self.expression(0)?));
                }
                Kind::Condition(Box::new(left), Box::new(then), els)
            }
            _ => return Err(Error::new("S0201").pos(pos).token(op)),
        };
        Ok(Node::new(kind, pos))
    }

    fn call(&mut self, left: Node, pos: usize) -> Result<Node, crate::EvalError> {
        let mut args = Vec::new();
        let mut partial = false;
        if self.id() != ")" {
            loop {
                if self.id() == "?" {
                    partial = true;
                    args.push(Node::new(Kind::Placeholder, self.position()));
                    self.advance(Some("?"), false)?;
                } else {
                    args.push(self.expression(0)?);
                }
                if self.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some(")"), true)?;
        let is_lambda =
            matches!(&left.kind, Kind::Name(n) if &**n == "function" || &**n == "\u{3bb}");
        if is_lambda {
            let mut params = Vec::new();
            for (i, a) in args.iter().enumerate() {
                match &a.kind {
                    Kind::Variable(v) => params.push(v.clone()),
                    _ => {
                        return Err(Error::new("S0208")
                            .pos(a.position)
                            .token(&node_text(a))
                            .value_num((i + 1) as f64));
                    }
                }
            }
            let mut signature = None;
            if self.id() == "<" {
                let sig_pos = self.position();
                let mut depth = 1;
                let mut sig = String::from("<");
                while depth > 0 && self.id() != "{" && self.id() != "(end)" {
                    self.advance(None, false)?;
                    match self.id() {
                        ">" => depth -= 1,
                        "<" => depth += 1,
                        _ => {}
                    }
                    if let Some(t) = self.cur_text() {
                        sig.push_str(&t);
                    }
                }
                self.advance(Some(">"), false)?;
                signature = Some(Rc::new(Signature::parse(&sig).map_err(|e| e.pos(sig_pos))?));
            }
            self.advance(Some("{"), false)?;
            let body = self.expression(0)?;
            self.advance(Some("}"), false)?;
            return Ok(Node::new(
                Kind::Lambda(Rc::new(LambdaDef {
                    params,
                    signature,
                    body,
                    thunk: false,
                })),
                pos,
            ));
        }
        let kind = if partial {
            Kind::Partial(Box::new(left), args)
        } else {
            Kind::Function(Box::new(left), args)
        };
        Ok(Node::new(kind, pos))
    }
}

fn node_text(n: &Node) -> String {
    match &n.kind {
        Kind::Name(s) | Kind::Variable(s) | Kind::Str(s) => s.to_string(),
        Kind::Num(x) => crate::value::fmt_number(*x),
        _ => n.type_name().to_string(),
    }
}

/// Parse and post-process an expression.
pub fn parse(src: &str) -> Result<Node, crate::EvalError> {
    let mut p = Parser {
        lex: Lexer::new(src),
        cur: Cur::End(0),
        depth: 0,
    };
    p.advance(None, false)?;
    let expr = p.expression(0)?;
    if !matches!(p.cur, Cur::End(_)) {
        let mut e = Error::new("S0201").pos(p.position());
        if let Some(t) = p.cur_text() {
            e = e.token(&t);
        }
        return Err(e);
    }
    let mut proc = Processor {
        label: 0,
        ancestry: Vec::new(),
        depth: 0,
    };
    let expr = proc.process(expr)?;
    if matches!(expr.kind, Kind::Parent(_)) || !expr.seeking_parent.is_empty() {
        return Err(Error::new("S0217")
            .pos(expr.position)
            .token(expr.type_name()));
    }
    Ok(expr)
}

struct Processor {
    label: usize,
    ancestry: Vec<Rc<Slot>>,
    depth: usize,
}

fn push_ancestry(result: &mut Node, value: &Node) {
    result
        .seeking_parent
        .extend(value.seeking_parent.iter().cloned());
    if let Kind::Parent(slot) = &value.kind {
        result.seeking_parent.push(slot.clone());
    }
}

impl Processor {
    fn seek_parent(
        &mut self,
        node: &mut Node,
        slot: Rc<Slot>,
    ) -> Result<Rc<Slot>, crate::EvalError> {
        match &mut node.kind {
            Kind::Name(_) | Kind::Wildcard => {
                slot.level.set(slot.level.get() - 1);
                if slot.level.get() == 0 {
                    if let Some(anc) = &node.ancestor {
                        let label = anc.label.borrow().clone();
                        if let Some(s) = self.ancestry.get(slot.index) {
                            *s.label.borrow_mut() = label;
                        }
                    }
                    node.ancestor = Some(slot.clone());
                    node.tuple = true;
                }
                Ok(slot)
            }
            Kind::Parent(_) => {
                slot.level.set(slot.level.get() + 1);
                Ok(slot)
            }
            Kind::Block(exprs) => {
                if let Some(last) = exprs.last_mut() {
                    node.tuple = true;
                    return self.seek_parent(last, slot);
                }
                Ok(slot)
            }
            Kind::Path(steps) => {
                node.tuple = true;
                let mut slot = slot;
                let mut index = steps.len() as isize - 1;
                if index >= 0 {
                    slot = self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                }
                while slot.level.get() > 0 && index >= 0 {
                    slot = self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                }
                Ok(slot)
            }
            _ => Err(Error::new("S0217")
                .pos(node.position)
                .token(node.type_name())),
        }
    }

    fn resolve_ancestry(&mut self, path: &mut Node) -> Result<(), crate::EvalError> {
        let Kind::Path(steps) = &mut path.kind else {
            return Ok(());
        };
        let Some(last) = steps.last() else {
            return Ok(());
        };
        let mut slots: Vec<Rc<Slot>> = last.seeking_parent.clone();
        if let Kind::Parent(s) = &last.kind {
            slots.push(s.clone());
        }
        let mut extra = Vec::new();
        for slot in slots {
            let mut slot = slot;
            let mut index = steps.len() as isize - 2;
            while slot.level.get() > 0 {
                if index < 0 {
                    extra.push(slot.clone());
                    break;
                }
                let mut si = index as usize;
                index -= 1;
                while index >= 0
                    && steps[si].focus.is_some()
                    && steps[index as usize].focus.is_some()
                {
                    si = index as usize;
                    index -= 1;
                }
                slot = self.seek_parent(&mut steps[si], slot)?;
            }
        }
        path.seeking_parent.extend(extra);
        Ok(())
    }

    #[inline(never)]
    fn process_dot(
        &mut self,
        lhs: Box<Node>,
        rhs: Box<Node>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let lstep = self.process(*lhs)?;
        let mut result = if matches!(lstep.kind, Kind::Path(_)) {
            lstep
        } else {
            let parent_slot = match &lstep.kind {
                Kind::Parent(s) => Some(s.clone()),
                _ => None,
            };
            let mut r = Node::new(Kind::Path(vec![lstep]), pos);
            if let Some(s) = parent_slot {
                r.seeking_parent = vec![s];
            }
            r
        };
        let mut rest = self.process(*rhs)?;
        if let Kind::Path(steps) = &mut result.kind {
            if let Kind::Path(rsteps) = rest.kind {
                steps.extend(rsteps);
            } else {
                if !rest.predicate.is_empty() {
                    rest.stages = std::mem::take(&mut rest.predicate);
                }
                steps.push(rest);
            }
            for step in steps.iter_mut() {
                match &step.kind {
                    Kind::Num(_) | Kind::Bool(_) | Kind::Null => {
                        return Err(Error::new("S0213")
                            .pos(step.position)
                            .value_str(&node_text(step)));
                    }
                    Kind::Str(s) => {
                        step.kind = Kind::Name(s.clone());
                    }
                    _ => {}
                }
            }
            if steps.iter().any(|s| s.keep_array) {
                result.keep_singleton_array = true;
            }
            if let Some(first) = steps.first_mut()
                && first.is_array_cons()
            {
                first.cons_array = true;
            }
            if let Some(last) = steps.last_mut()
                && last.is_array_cons()
            {
                last.cons_array = true;
            }
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    #[inline(never)]
    fn process_filter(
        &mut self,
        lhs: Box<Node>,
        rhs: Box<Node>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let mut result = self.process(*lhs)?;
        let mut predicate = self.process(*rhs)?;
        let is_path = matches!(result.kind, Kind::Path(_));
        {
            let step: &mut Node = if let Kind::Path(steps) = &mut result.kind {
                match steps.last_mut() {
                    Some(s) => s,
                    None => return Err(Error::new("S0201").pos(pos)),
                }
            } else {
                &mut result
            };
            if step.group.is_some() {
                return Err(Error::new("S0209").pos(pos));
            }
            if !predicate.seeking_parent.is_empty() {
                let sp = predicate.seeking_parent.clone();
                for slot in sp {
                    if slot.level.get() == 1 {
                        self.seek_parent(step, slot)?;
                    } else {
                        slot.level.set(slot.level.get() - 1);
                    }
                }
                push_ancestry(step, &predicate);
            }
            predicate.position = pos;
            let stage = Stage::Filter(Box::new(predicate));
            if is_path {
                step.stages.push(stage);
            } else {
                step.predicate.push(stage);
            }
        }
        Ok(result)
    }

    fn process(&mut self, expr: Node) -> Result<Node, crate::EvalError> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH + 10 {
            return Err(Error::new("U1001").pos(expr.position));
        }
        let r = self.process_inner(expr);
        self.depth -= 1;
        r
    }

    fn process_inner(&mut self, expr: Node) -> Result<Node, crate::EvalError> {
        let pos = expr.position;
        let keep_array = expr.keep_array;
        let mut result = match expr.kind {
            Kind::Dot(lhs, rhs) => self.process_dot(lhs, rhs, pos)?,
            Kind::FilterRaw(lhs, rhs) => self.process_filter(lhs, rhs, pos)?,
            Kind::GroupRaw(lhs, pairs) => self.p_groupraw(lhs, pairs, pos)?,
            Kind::SortRaw(lhs, terms) => self.p_sortraw(lhs, terms, pos)?,
            Kind::FocusRaw(lhs, name) => self.p_focusraw(lhs, name, pos, keep_array)?,
            Kind::IndexRaw(lhs, name) => self.p_indexraw(lhs, name, pos)?,
            Kind::Apply(lhs, rhs) => self.p_apply(lhs, rhs, pos)?,
            Kind::Bind(name, rhs) => self.p_bind(name, rhs, pos)?,
            Kind::Binary(op, lhs, rhs) => self.p_binary(op, lhs, rhs, pos)?,
            Kind::Array(items) => self.p_array(items, pos)?,
            Kind::Object(pairs) => self.p_object(pairs, pos)?,
            Kind::Neg(e) => self.p_neg(e, pos)?,
            Kind::Function(proc, args) => self.p_function(proc, args, pos)?,
            Kind::Partial(proc, args) => self.p_partial(proc, args, pos)?,
            Kind::Lambda(def) => self.p_lambda(def, pos)?,
            Kind::Condition(c, t, e) => self.p_condition(c, t, e, pos)?,
            Kind::Transform(def) => self.p_transform(def, pos)?,
            Kind::Block(exprs) => self.p_block(exprs, pos)?,
            Kind::Name(_) => {
                let mut r = Node::new(Kind::Path(vec![expr_from(expr.kind, pos)]), pos);
                if keep_array {
                    r.keep_singleton_array = true;
                    if let Kind::Path(steps) = &mut r.kind
                        && let Some(s) = steps.first_mut()
                    {
                        s.keep_array = true;
                    }
                }
                r
            }
            Kind::Parent(_) => {
                let slot = Rc::new(Slot {
                    label: RefCell::new(format!("!{}", self.label).into()),
                    level: Cell::new(1),
                    index: self.ancestry.len(),
                });
                self.label += 1;
                self.ancestry.push(slot.clone());
                Node::new(Kind::Parent(slot), pos)
            }
            other => Node::new(other, pos),
        };
        if keep_array {
            result.keep_array = true;
        }
        Ok(result)
    }

    #[inline(never)]
    fn p_groupraw(
        &mut self,
        lhs: Box<Node>,
        pairs: Vec<(Node, Node)>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let mut result = self.process(*lhs)?;
        if result.group.is_some() {
            return Err(Error::new("S0210").pos(pos));
        }
        let mut ps = Vec::new();
        for (k, v) in pairs {
            ps.push((self.process(k)?, self.process(v)?));
        }
        result.group = Some(Box::new(Group {
            pairs: ps,
            position: pos,
        }));
        Ok(result)
    }

    #[inline(never)]
    fn p_sortraw(
        &mut self,
        lhs: Box<Node>,
        terms: Vec<SortTerm>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let mut result = self.process(*lhs)?;
        if !matches!(result.kind, Kind::Path(_)) {
            result = Node::new(Kind::Path(vec![result]), pos);
        }
        let mut sort_step = Node::new(Kind::Sort(Vec::new()), pos);
        let mut new_terms = Vec::new();
        for t in terms {
            let e = self.process(t.expr)?;
            push_ancestry(&mut sort_step, &e);
            new_terms.push(SortTerm {
                descending: t.descending,
                expr: e,
            });
        }
        sort_step.kind = Kind::Sort(new_terms);
        if let Kind::Path(steps) = &mut result.kind {
            steps.push(sort_step);
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    #[inline(never)]
    fn p_focusraw(
        &mut self,
        lhs: Box<Node>,
        name: Rc<str>,
        pos: usize,
        keep_array: bool,
    ) -> Result<Node, crate::EvalError> {
        let mut result = self.process(*lhs)?;
        let step: &mut Node = if let Kind::Path(steps) = &mut result.kind {
            match steps.last_mut() {
                Some(s) => s,
                None => return Err(Error::new("S0201").pos(pos)),
            }
        } else {
            &mut result
        };
        if !step.stages.is_empty() || !step.predicate.is_empty() {
            return Err(Error::new("S0215").pos(pos));
        }
        if matches!(step.kind, Kind::Sort(_)) {
            return Err(Error::new("S0216").pos(pos));
        }
        if keep_array {
            step.keep_array = true;
        }
        step.focus = Some(name);
        step.tuple = true;
        Ok(result)
    }

    #[inline(never)]
    fn p_indexraw(
        &mut self,
        lhs: Box<Node>,
        name: Rc<str>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let mut result = self.process(*lhs)?;
        if !matches!(result.kind, Kind::Path(_)) {
            if !result.predicate.is_empty() {
                result.stages = std::mem::take(&mut result.predicate);
            }
            result = Node::new(Kind::Path(vec![result]), pos);
        }
        if let Kind::Path(steps) = &mut result.kind
            && let Some(step) = steps.last_mut()
        {
            if step.stages.is_empty() {
                step.index = Some(name);
            } else {
                step.stages.push(Stage::Index(name));
            }
            step.tuple = true;
        }
        Ok(result)
    }

    #[inline(never)]
    fn p_apply(
        &mut self,
        lhs: Box<Node>,
        rhs: Box<Node>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let l = self.process(*lhs)?;
        let r = self.process(*rhs)?;
        let ka = l.keep_array || r.keep_array;
        let mut n = Node::new(Kind::Apply(Box::new(l), Box::new(r)), pos);
        n.keep_array = ka;
        Ok(n)
    }

    #[inline(never)]
    fn p_bind(
        &mut self,
        name: Rc<str>,
        rhs: Box<Node>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let r = self.process(*rhs)?;
        let mut n = Node::new(Kind::Bind(name, Box::new(Node::new(Kind::Null, pos))), pos);
        push_ancestry(&mut n, &r);
        n.kind = Kind::Bind(
            match &n.kind {
                Kind::Bind(nm, _) => nm.clone(),
                _ => "".into(),
            },
            Box::new(r),
        );
        Ok(n)
    }

    #[inline(never)]
    fn p_binary(
        &mut self,
        op: BinOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let l = self.process(*lhs)?;
        let r = self.process(*rhs)?;
        let mut n = Node::new(Kind::Null, pos);
        push_ancestry(&mut n, &l);
        push_ancestry(&mut n, &r);
        n.kind = Kind::Binary(op, Box::new(l), Box::new(r));
        Ok(n)
    }

    #[inline(never)]
    fn p_array(&mut self, items: Vec<Node>, pos: usize) -> Result<Node, crate::EvalError> {
        let mut n = Node::new(Kind::Null, pos);
        let mut out = Vec::new();
        for it in items {
            let v = self.process(it)?;
            push_ancestry(&mut n, &v);
            out.push(v);
        }
        n.kind = Kind::Array(out);
        Ok(n)
    }

    #[inline(never)]
    fn p_object(&mut self, pairs: Vec<(Node, Node)>, pos: usize) -> Result<Node, crate::EvalError> {
        let mut n = Node::new(Kind::Null, pos);
        let mut out = Vec::new();
        for (k, v) in pairs {
            let k = self.process(k)?;
            push_ancestry(&mut n, &k);
            let v = self.process(v)?;
            push_ancestry(&mut n, &v);
            out.push((k, v));
        }
        n.kind = Kind::Object(out);
        Ok(n)
    }

    #[inline(never)]
    fn p_neg(&mut self, e: Box<Node>, pos: usize) -> Result<Node, crate::EvalError> {
        let e = self.process(*e)?;
        if let Kind::Num(x) = e.kind {
            let mut n = e;
            n.kind = Kind::Num(-x);
            Ok(n)
        } else {
            let mut n = Node::new(Kind::Null, pos);
            push_ancestry(&mut n, &e);
            n.kind = Kind::Neg(Box::new(e));
            Ok(n)
        }
    }

    #[inline(never)]
    fn p_function(
        &mut self,
        proc: Box<Node>,
        args: Vec<Node>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let mut n = Node::new(Kind::Null, pos);
        let mut out = Vec::new();
        for a in args {
            let a = self.process(a)?;
            push_ancestry(&mut n, &a);
            out.push(a);
        }
        let p = self.process(*proc)?;
        n.kind = Kind::Function(Box::new(p), out);
        Ok(n)
    }

    #[inline(never)]
    fn p_partial(
        &mut self,
        proc: Box<Node>,
        args: Vec<Node>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let mut n = Node::new(Kind::Null, pos);
        let mut out = Vec::new();
        for a in args {
            let a = self.process(a)?;
            push_ancestry(&mut n, &a);
            out.push(a);
        }
        let p = self.process(*proc)?;
        n.kind = Kind::Partial(Box::new(p), out);
        Ok(n)
    }

    #[inline(never)]
    fn p_lambda(&mut self, def: Rc<LambdaDef>, pos: usize) -> Result<Node, crate::EvalError> {
        let def = Rc::try_unwrap(def).map_err(|_| Error::new("S0201").pos(pos))?;
        let body = self.process(def.body)?;
        let body = tail_call_optimize(body);
        Ok(Node::new(
            Kind::Lambda(Rc::new(LambdaDef {
                params: def.params,
                signature: def.signature,
                body,
                thunk: false,
            })),
            pos,
        ))
    }

    #[inline(never)]
    fn p_condition(
        &mut self,
        c: Box<Node>,
        t: Box<Node>,
        e: Option<Box<Node>>,
        pos: usize,
    ) -> Result<Node, crate::EvalError> {
        let mut n = Node::new(Kind::Null, pos);
        let c = self.process(*c)?;
        push_ancestry(&mut n, &c);
        let t = self.process(*t)?;
        push_ancestry(&mut n, &t);
        let e = match e {
            Some(e) => {
                let e = self.process(*e)?;
                push_ancestry(&mut n, &e);
                Some(Box::new(e))
            }
            None => None,
        };
        n.kind = Kind::Condition(Box::new(c), Box::new(t), e);
        Ok(n)
    }

    #[inline(never)]
    fn p_transform(&mut self, def: Rc<TransformDef>, pos: usize) -> Result<Node, crate::EvalError> {
        let def = Rc::try_unwrap(def).map_err(|_| Error::new("S0201").pos(pos))?;
        let pattern = self.process(def.pattern)?;
        let update = self.process(def.update)?;
        let delete = match def.delete {
            Some(d) => Some(self.process(d)?),
            None => None,
        };
        Ok(Node::new(
            Kind::Transform(Rc::new(TransformDef {
                pattern,
                update,
                delete,
                position: def.position,
            })),
            pos,
        ))
    }

    #[inline(never)]
    fn p_block(&mut self, exprs: Vec<Node>, pos: usize) -> Result<Node, crate::EvalError> {
        let mut n = Node::new(Kind::Null, pos);
        let mut out = Vec::new();
        for e in exprs {
            let part = self.process(e)?;
            push_ancestry(&mut n, &part);
            let cons = part.cons_array
                || matches!(&part.kind, Kind::Path(s) if s.first().is_some_and(|f| f.cons_array));
            if cons {
                n.cons_array = true;
            }
            out.push(part);
        }
        n.kind = Kind::Block(out);
        Ok(n)
    }
}

fn expr_from(kind: Kind, pos: usize) -> Node {
    Node::new(kind, pos)
}

fn tail_call_optimize(mut expr: Node) -> Node {
    match expr.kind {
        Kind::Function(..) if expr.predicate.is_empty() => {
            let pos = expr.position;
            Node::new(
                Kind::Lambda(Rc::new(LambdaDef {
                    params: Vec::new(),
                    signature: None,
                    body: expr,
                    thunk: true,
                })),
                pos,
            )
        }
        Kind::Condition(c, t, e) => {
            let t = Box::new(tail_call_optimize(*t));
            let e = e.map(|e| Box::new(tail_call_optimize(*e)));
            expr.kind = Kind::Condition(c, t, e);
            expr
        }
        Kind::Block(mut exprs) => {
            if let Some(last) = exprs.pop() {
                exprs.push(tail_call_optimize(last));
            }
            expr.kind = Kind::Block(exprs);
            expr
        }
        _ => expr,
    }
}
