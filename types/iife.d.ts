// `kasir/iife` is the script-tag build: importing it only defines <kasir-checkout> (and the global
// `Kasir`); it has no ES exports. Types of the element come from `kasir`.
export {};
