; Exports and module-system syntax of a JavaScript or TypeScript module. Used for both grammars, so only
; node types they share appear here.

; ES module syntax.
(program (export_statement) @esm.export)
(program (import_statement) @esm.import)

; CommonJS: `exports.x = …`, `module.exports.x = …`, `module.exports = …` (anywhere: the assignment may sit
; in a block), and `require(…)` calls.
(assignment_expression
  left: [(member_expression) (subscript_expression)] @lhs
  right: (_) @rhs) @cjs.assign

; `Object.assign(module.exports, …)`, `Object.defineProperty(exports, …)`.
(call_expression
  function: (member_expression
    object: (identifier) @object
    property: (property_identifier) @method)
  arguments: (arguments . (_) @target)
  (#eq? @object "Object")
  (#any-of? @method "assign" "defineProperty" "defineProperties")) @cjs.object

(call_expression
  function: (identifier) @callee
  (#eq? @callee "require")) @cjs.require

; Module-scope bindings an export may name.
(program (function_declaration name: (identifier) @name) @local)
(program (generator_function_declaration name: (identifier) @name) @local)
(program (lexical_declaration (variable_declarator name: (identifier) @name) @local))
(program (variable_declaration (variable_declarator name: (identifier) @name) @local))
(program (class_declaration name: (_) @name) @local)

; CommonJS-only free variables.
((identifier) @cjs.free
  (#any-of? @cjs.free "__dirname" "__filename"))
