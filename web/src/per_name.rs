//! One signal per drawn state, fed from a map-valued memo (problems, run statuses, selection): one
//! effect compares the map with the previous one (`studio::cull::changed_keys`) and sets only the
//! signals of the names whose value changed. A state subscribes to its own signal instead of the
//! whole map, so a change that concerns a few states re-renders those states only (and 1,000 states
//! are not 1,000 subscribers of one memo, which Leptos unsubscribes from one at a time).

use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// A name's signal and how many drawn items hold it.
type Slot<V> = (ArcRwSignal<Option<V>>, usize);

pub struct PerName<V: Send + Sync + 'static> {
    source: Memo<BTreeMap<String, V>>,
    slots: StoredValue<HashMap<String, Slot<V>>>,
}

impl<V: Send + Sync + 'static> Clone for PerName<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V: Send + Sync + 'static> Copy for PerName<V> {}

impl<V: Clone + PartialEq + Send + Sync + 'static> PerName<V> {
    /// Starts following `source`.
    pub fn new(source: Memo<BTreeMap<String, V>>) -> Self {
        let slots: StoredValue<HashMap<String, Slot<V>>> = StoredValue::new(HashMap::new());
        Effect::new(move |prev: Option<BTreeMap<String, V>>| {
            let now = source.get();
            // Collected first, set after: no signal is set while the registry is borrowed.
            let changed: Vec<(ArcRwSignal<Option<V>>, Option<V>)> = slots.with_value(|s| {
                let value = |name: &str| now.get(name).cloned();
                match &prev {
                    Some(prev) => studio::cull::changed_keys(prev, &now)
                        .into_iter()
                        .filter_map(|name| s.get(name).map(|(sig, _)| (sig.clone(), value(name))))
                        .collect(),
                    // The first run: whatever changed since the items read their first value.
                    None => s
                        .iter()
                        .filter(|(name, (sig, _))| sig.with_untracked(|v| *v != value(name)))
                        .map(|(name, (sig, _))| (sig.clone(), value(name)))
                        .collect(),
                }
            });
            for (sig, v) in changed {
                sig.set(v);
            }
            now
        });
        PerName { source, slots }
    }

    /// The signal of `name`'s value, held until the calling owner (a drawn item) is cleaned up.
    pub fn of(self, name: &str) -> ArcRwSignal<Option<V>> {
        let sig = self.slots.try_update_value(|s| {
            let slot = s.entry(name.to_string()).or_insert_with(|| {
                let v = self.source.with_untracked(|m| m.get(name).cloned());
                (ArcRwSignal::new(v), 0)
            });
            slot.1 += 1;
            slot.0.clone()
        });
        let name = name.to_string();
        on_cleanup(move || {
            self.slots.try_update_value(|s| {
                if let Some(slot) = s.get_mut(&name) {
                    slot.1 = slot.1.saturating_sub(1);
                    if slot.1 == 0 {
                        s.remove(&name);
                    }
                }
            });
        });
        sig.unwrap_or_else(|| ArcRwSignal::new(None))
    }
}
