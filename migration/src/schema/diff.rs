//! What differs between two schema dumps, object by object.

use serde::Serialize;

use super::SchemaDump;

/// One object that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `column`, `index`, `constraint`, `trigger`, `function`, `comment` or `object`.
    pub kind: String,
    /// The object, e.g. `tenants.name` or `idx_users_email`.
    pub name: String,
    /// Its definition in the expected schema, if it is there.
    pub expected: Option<String>,
    /// Its definition in the database, if it is there.
    pub actual: Option<String>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, name) = (&self.kind, &self.name);
        match (&self.expected, &self.actual) {
            (Some(expected), Some(actual)) => {
                write!(f, "{kind} {name} changed\n    expected: {expected}\n    database: {actual}")
            }
            (Some(expected), None) => {
                write!(f, "{kind} {name} is missing\n    expected: {expected}")
            }
            (None, Some(actual)) => {
                write!(f, "{kind} {name} is not in the snapshot\n    database: {actual}")
            }
            (None, None) => write!(f, "{kind} {name}"),
        }
    }
}

/// Every object that is missing, extra or changed in `actual` compared with `expected`.
pub fn differences(expected: &SchemaDump, actual: &SchemaDump) -> Vec<Difference> {
    let mut found = Vec::new();
    for (kind, wanted) in &expected.sections {
        let present = actual
            .sections
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, o)| o.as_slice())
            .unwrap_or(&[]);
        let singular = match kind.strip_suffix("ies") {
            Some(stem) => format!("{stem}y"),
            None => kind.trim_end_matches('s').to_owned(),
        };
        let keyed = |objects: &[String]| -> Vec<(String, String)> {
            objects.iter().map(|o| (key(kind, o), o.clone())).collect()
        };
        let (wanted, present) = (keyed(wanted), keyed(present));
        for (name, definition) in &wanted {
            match present.iter().find(|(n, _)| n == name) {
                Some((_, actual)) if actual == definition => {}
                Some((_, actual)) => found.push(Difference {
                    kind: singular.clone(),
                    name: name.clone(),
                    expected: Some(definition.clone()),
                    actual: Some(actual.clone()),
                }),
                None => found.push(Difference {
                    kind: singular.clone(),
                    name: name.clone(),
                    expected: Some(definition.clone()),
                    actual: None,
                }),
            }
        }
        for (name, definition) in &present {
            if !wanted.iter().any(|(n, _)| n == name) {
                found.push(Difference {
                    kind: singular.clone(),
                    name: name.clone(),
                    expected: None,
                    actual: Some(definition.clone()),
                });
            }
        }
    }
    found
}

/// The name of an object within its kind.
fn key(kind: &str, definition: &str) -> String {
    let words: Vec<&str> = definition.split_whitespace().collect();
    let word = |i: usize| words.get(i).copied().unwrap_or_default().to_owned();
    match kind {
        "columns" => word(0),
        "constraints" => format!("{} {}", word(0), word(1)),
        "indexs" | "indexes" => {
            if word(1) == "UNIQUE" {
                word(3)
            } else {
                word(2)
            }
        }
        "triggers" => word(2),
        "functions" => word(4).split('(').next().unwrap_or_default().to_owned(),
        _ => definition.split(": ").next().unwrap_or(definition).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_default_a_dropped_index_and_an_extra_column_are_named() {
        let expected = SchemaDump::parse(
            "-- columns\nt.a integer NOT NULL DEFAULT 0\nt.b text\n-- indexs\nCREATE INDEX idx_t_a ON public.t USING btree (a)\n",
        );
        let actual = SchemaDump::parse(
            "-- columns\nt.a integer NOT NULL DEFAULT 1\nt.b text\nt.c text\n-- indexs\n",
        );

        let found: Vec<String> = differences(&expected, &actual)
            .iter()
            .map(|d| format!("{} {}", d.kind, d.name))
            .collect();

        assert_eq!(found, ["column t.a", "column t.c", "index idx_t_a"]);
    }

    #[test]
    fn a_snapshot_reads_back_as_it_was_written() {
        let text = "-- functions\nCREATE OR REPLACE FUNCTION public.f()\n RETURNS trigger\nBEGIN\nEND\n-- comments\nt: a table\n";
        assert_eq!(SchemaDump::parse(text).to_text(), text);
    }
}
