; Names a Python handler (`module.function`) can refer to. Whether a match is at module level (also inside
; module-level `if`/`try`/`with` blocks, never inside a function or class) is decided by the caller.

(function_definition
  name: (identifier) @name) @function

(expression_statement
  (assignment
    left: (identifier) @name)) @assignment

; `from impl import handler` and `from impl import real as handler` bind the name too.
(import_from_statement
  name: (dotted_name . (identifier) @name .)) @import

(import_from_statement
  name: (aliased_import
    alias: (identifier) @name)) @import

; `from impl import *` may bind any name.
(import_from_statement
  (wildcard_import)) @star
