; The facts of a Go file that decide how its Lambda handler starts.

(package_clause (package_identifier) @package)

(import_spec
  name: (_)? @import.alias
  path: (interpreted_string_literal) @import.path) @import

(source_file
  (function_declaration
    name: (identifier) @name) @function)

(type_spec
  name: (type_identifier) @name
  type: (_) @type) @type_decl

; `lambda.Start(h)` and friends: which package the selector names is checked against the imports.
(call_expression
  function: (selector_expression
    operand: (identifier) @start.package
    field: (field_identifier) @start.function)
  arguments: (argument_list) @start.arguments) @start
