//! The syntax tree: what the parser builds and the evaluator walks (after the `process` pass).

use crate::regex::JsRegex;
use crate::signature::Signature;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A parent-operator slot, shared between the `%` node and the step that binds its value.
#[derive(Debug)]
pub struct Slot {
    pub label: RefCell<Rc<str>>,
    pub level: Cell<i32>,
    pub index: usize,
}

/// A stage of a path step: a filter predicate or an index (`#$i`) binding.
#[derive(Debug, Clone)]
pub enum Stage {
    Filter(Box<Node>),
    Index(Rc<str>),
}

/// Binary operators evaluated by `evaluate_binary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    And,
    Or,
    In,
    Range,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Concat => "&",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::In => "in",
            BinOp::Range => "..",
        }
    }
}

/// One term of an order-by clause.
#[derive(Debug, Clone)]
pub struct SortTerm {
    pub descending: bool,
    pub expr: Node,
}

/// A lambda definition (shared by every closure made from it).
#[derive(Debug)]
pub struct LambdaDef {
    pub params: Vec<Rc<str>>,
    pub signature: Option<Rc<Signature>>,
    pub body: Node,
    pub thunk: bool,
}

/// A transform `| pattern | update [, delete] |`.
#[derive(Debug)]
pub struct TransformDef {
    pub pattern: Node,
    pub update: Node,
    pub delete: Option<Node>,
    pub position: usize,
}

/// A group-by clause `{ key: value, ... }` attached to a step.
#[derive(Debug, Clone)]
pub struct Group {
    pub pairs: Vec<(Node, Node)>,
    pub position: usize,
}

/// Node kinds. The first group only exists between parsing and the `process` pass.
#[derive(Debug, Clone)]
pub enum Kind {
    // raw (pre-process) forms
    Dot(Box<Node>, Box<Node>),
    FilterRaw(Box<Node>, Box<Node>),
    GroupRaw(Box<Node>, Vec<(Node, Node)>),
    SortRaw(Box<Node>, Vec<SortTerm>),
    FocusRaw(Box<Node>, Rc<str>),
    IndexRaw(Box<Node>, Rc<str>),
    // processed forms
    Path(Vec<Node>),
    Name(Rc<str>),
    Wildcard,
    Descendant,
    Parent(Rc<Slot>),
    Str(Rc<str>),
    Num(f64),
    Bool(bool),
    Null,
    Variable(Rc<str>),
    Regex(Rc<JsRegex>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Neg(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    Function(Box<Node>, Vec<Node>),
    Partial(Box<Node>, Vec<Node>),
    Placeholder,
    Lambda(Rc<LambdaDef>),
    Condition(Box<Node>, Box<Node>, Option<Box<Node>>),
    Transform(Rc<TransformDef>),
    Block(Vec<Node>),
    Bind(Rc<str>, Box<Node>),
    Apply(Box<Node>, Box<Node>),
    Sort(Vec<SortTerm>),
}

/// A node with the annotations the post-parse pass adds.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub position: usize,
    pub keep_array: bool,
    pub cons_array: bool,
    pub keep_singleton_array: bool,
    pub tuple: bool,
    pub predicate: Vec<Stage>,
    pub stages: Vec<Stage>,
    pub group: Option<Box<Group>>,
    pub focus: Option<Rc<str>>,
    pub index: Option<Rc<str>>,
    pub ancestor: Option<Rc<Slot>>,
    pub seeking_parent: Vec<Rc<Slot>>,
}

impl Node {
    /// A node of `kind` at `position` with no annotations.
    pub fn new(kind: Kind, position: usize) -> Node {
        Node {
            kind,
            position,
            keep_array: false,
            cons_array: false,
            keep_singleton_array: false,
            tuple: false,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            focus: None,
            index: None,
            ancestor: None,
            seeking_parent: Vec::new(),
        }
    }

    /// The type name the reference uses in error tokens.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Path(_) => "path",
            Kind::Name(_) => "name",
            Kind::Wildcard => "wildcard",
            Kind::Descendant => "descendant",
            Kind::Parent(_) => "parent",
            Kind::Str(_) => "string",
            Kind::Num(_) => "number",
            Kind::Bool(_) | Kind::Null => "value",
            Kind::Variable(_) => "variable",
            Kind::Regex(_) => "regex",
            Kind::Function(..) => "function",
            Kind::Partial(..) => "partial",
            Kind::Lambda(_) => "lambda",
            Kind::Condition(..) => "condition",
            Kind::Transform(_) => "transform",
            Kind::Block(_) => "block",
            Kind::Bind(..) => "bind",
            Kind::Apply(..) => "apply",
            Kind::Sort(_) => "sort",
            Kind::Placeholder => "operator",
            _ => "binary",
        }
    }

    /// True for an array constructor `[...]`.
    pub fn is_array_cons(&self) -> bool {
        matches!(self.kind, Kind::Array(_))
    }
}
