//! Scenario documents read from bytes: one parser for the API and the command line, so both
//! name the same line, column and field when a document is wrong.

use crate::import::ImportError;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use tco_engine::Scenario;

/// A document that is not a scenario.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Not JSON, or a field of the wrong type: the line, column and field named.
    #[error(transparent)]
    Invalid(#[from] ImportError),
    /// The document or one of its parts is not a JSON object.
    #[error("{name}: {}expected a JSON object{}", field.map(|f| format!("field `{f}`: ")).unwrap_or_default(), if field.is_none() { ", a scenario document" } else { "" })]
    NotAnObject {
        /// The file or `request body`.
        name: String,
        /// The part, or `None` for the document itself.
        field: Option<&'static str>,
    },
}

/// Parses a scenario document named `name` (a file, or `request body`).
pub fn parse_scenario(name: &str, bytes: &[u8]) -> Result<Scenario, DocumentError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let scenario = serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(name, e))?;
    match not_an_object(bytes) {
        None => Ok(scenario),
        Some("") => Err(DocumentError::NotAnObject { name: name.into(), field: None }),
        Some(field) => Err(DocumentError::NotAnObject { name: name.into(), field: Some(field) }),
    }
}

/// A scenario document's parts must be JSON objects. serde would also read a struct from an
/// array of its fields in order (`{"workloads":[]}` reads as empty workloads), which no client
/// means and the OpenAPI document does not allow; this catches it without building a tree.
/// What is not an object where an object belongs, if anything: `""` for the document itself,
/// else the field's name.
fn not_an_object(json: &[u8]) -> Option<&'static str> {
    match serde_json::from_slice::<Shape>(json) {
        Ok(Shape(misplaced)) => misplaced,
        // Not JSON at all: the typed parse that follows says where.
        Err(_) => None,
    }
}

/// Checked by the typed parse; here only whether they are objects.
const PARTS: [&str; 2] = ["workloads", "assumptions"];

struct Shape(Option<&'static str>);

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scenario document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut misplaced = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match PARTS.iter().find(|p| **p == key) {
                Some(part) => {
                    if !map.next_value::<IsObject>()?.0 && misplaced.is_none() {
                        misplaced = Some(*part);
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Shape(misplaced))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape(Some("")))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape(Some("")))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape(Some("")))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape(Some("")))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape(Some("")))
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape(Some("")))
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape(Some("")))
    }
}

/// Whether a value is an object (`null` counts: the typed parse decides about it).
struct IsObject(bool);

impl<'de> Deserialize<'de> for IsObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IsObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IsObject, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(IsObject(true))
            }
            fn visit_unit<E>(self) -> Result<IsObject, E> {
                Ok(IsObject(true))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<IsObject, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(IsObject(false))
            }
            fn visit_bool<E>(self, _: bool) -> Result<IsObject, E> {
                Ok(IsObject(false))
            }
            fn visit_i64<E>(self, _: i64) -> Result<IsObject, E> {
                Ok(IsObject(false))
            }
            fn visit_u64<E>(self, _: u64) -> Result<IsObject, E> {
                Ok(IsObject(false))
            }
            fn visit_f64<E>(self, _: f64) -> Result<IsObject, E> {
                Ok(IsObject(false))
            }
            fn visit_str<E>(self, _: &str) -> Result<IsObject, E> {
                Ok(IsObject(false))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::not_an_object;

    #[test]
    fn arrays_where_objects_belong_are_named() {
        assert_eq!(not_an_object(br#"{"workloads":{},"assumptions":{}}"#), None);
        assert_eq!(not_an_object(br#"{"name":"a","workloads":{"apps":[]},"x":[1]}"#), None);
        assert_eq!(not_an_object(br#"{"workloads":null}"#), None);
        assert_eq!(not_an_object(br#"{"workloads":[]}"#), Some("workloads"));
        assert_eq!(not_an_object(br#"{"workloads":{},"assumptions":[1,2]}"#), Some("assumptions"));
        assert_eq!(not_an_object(br#"{"workloads":"x"}"#), Some("workloads"));
        assert_eq!(not_an_object(br#"["", {}, {}]"#), Some(""));
        assert_eq!(not_an_object(b"7"), Some(""));
        assert_eq!(not_an_object(b"{"), None, "not JSON: left to the typed parse");
    }
}
