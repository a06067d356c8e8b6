//! Holds the hand-written `include/nanomsg/nn.h` against the C prototypes
//! cbindgen derives from `src/ffi` at build time: the same functions, each
//! with the same return type and parameter types, in both.

use std::collections::BTreeMap;

/// Function name → (return type, parameter types), types normalised.
type Prototypes = BTreeMap<String, (String, Vec<String>)>;

/// Collapses spacing so `const char* x` and `const char *x` compare equal.
fn normalise(ty: &str) -> String {
    let spaced = ty.replace('*', " * ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    words.join(" ").replace(" *", "*")
}

/// Drops the parameter's name (its last identifier), keeping the type.
fn param_type(param: &str) -> String {
    let p = param.trim();
    if p == "void" {
        return String::new();
    }
    let cut = p.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    normalise(&p[..cut])
}

/// Finds every prototype `ret name (params);` among the declarations.
fn prototypes(text: &str, prefix: &str) -> Prototypes {
    let mut found = Prototypes::new();
    // Joins declarations that span lines, then splits at semicolons.
    let flat: String = text.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join(" ");
    for decl in flat.split(';') {
        let decl = decl.rsplit("*/").next().unwrap_or(decl).trim();
        let Some(rest) = decl.strip_prefix(prefix) else { continue };
        let (Some(open), Some(close)) = (rest.find('('), rest.rfind(')')) else { continue };
        let head = rest[..open].trim();
        let cut = head.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        let name = head[cut..].to_string();
        if !name.starts_with("nn_") {
            continue;
        }
        let params: Vec<String> =
            rest[open + 1..close].split(',').map(param_type).filter(|p| !p.is_empty()).collect();
        found.insert(name, (normalise(&head[..cut]), params));
    }
    found
}

#[test]
fn hand_written_header_matches_the_rust_exports() {
    let hand = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/nanomsg/nn.h")).unwrap();
    let generated = std::fs::read_to_string(env!("NNRS_CBINDGEN_HEADER")).unwrap();
    let declared = prototypes(&hand, "NN_EXPORT");
    let exported = prototypes(&generated, "");
    assert_eq!(declared.len(), 23, "nn.h declares {:?}", declared.keys());
    assert_eq!(
        declared.keys().collect::<Vec<_>>(),
        exported.keys().collect::<Vec<_>>(),
        "the same functions on both sides"
    );
    for (name, hand_proto) in &declared {
        assert_eq!(hand_proto, &exported[name], "prototype of {name}");
    }
}

#[test]
fn the_parser_sees_names_types_and_pointers() {
    let p = prototypes("NN_EXPORT const char *nn_x (int i,\n const struct a* b);", "NN_EXPORT");
    assert_eq!(p["nn_x"], ("const char*".to_string(), vec!["int".to_string(), "const struct a*".to_string()]));
    let p = prototypes("void nn_term(void);", "");
    assert_eq!(p["nn_term"], ("void".to_string(), vec![]));
}
