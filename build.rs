//! Build script: gives the shared library the SONAME every nanomsg binary
//! looks for, and runs cbindgen over the FFI module so that a test can hold
//! the hand-written `include/nanomsg/nn.h` against what Rust actually exports.

use std::env;
use std::path::PathBuf;

fn main() {
    // Binaries linked against Debian's libnanomsg5 record NEEDED libnanomsg.so.5.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnanomsg.so.5");

    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let header = out.join("nnrs_cbindgen.h");
    let config = cbindgen::Config {
        language: cbindgen::Language::C,
        style: cbindgen::Style::Tag,
        usize_is_size_t: true,
        ..Default::default()
    };
    cbindgen::Builder::new()
        .with_config(config)
        .with_src("src/ffi/mod.rs")
        .generate()
        .expect("cbindgen could not read src/ffi")
        .write_to_file(&header);
    println!("cargo:rustc-env=NNRS_CBINDGEN_HEADER={}", header.display());
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=build.rs");
}
