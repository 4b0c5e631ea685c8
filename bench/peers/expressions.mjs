// The JSONata expressions and generated input (1,000 items) timed by run.mjs and ../wasm/run.mjs; the Rust
// criterion bench crates/jsonata/benches/expressions.rs uses the same four.
export const jsonataInput = { items: Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `item-${i}`, price: i * 1.5, tags: ['a', 'b'] })) };
export const JSONATA_EXPRESSIONS = {
  'jsonata-map': '$map(items, function($v) { {"id": $v.id, "label": $uppercase($v.name)} })',
  'jsonata-filter': '$filter(items, function($v) { $v.price > 500 })',
  'jsonata-string': '$join(items.($string(id) & ":" & name), ",")',
  'jsonata-fields': 'items[price > 100].{"name": name, "total": price * 2}',
};
