; AWS SDK for Go v2 use. The captures feed the binding table in `privilege/calls/go.rs`.

; `import "github.com/aws/aws-sdk-go-v2/service/s3"` (with or without a local name).
(import_spec
  path: (_) @path) @import

; `<receiver>.<method>(<args>)`: operations (`client.PutObject(ctx, …)`) and constructors
; (`s3.NewFromConfig(cfg)`, `s3.NewListObjectsV2Paginator(client, …)`).
(call_expression
  function: (selector_expression
    operand: (_) @receiver
    field: (field_identifier) @method)
  arguments: (argument_list) @args) @call

; Bindings: `x := …`, `x = …`, `var x = …`.
(short_var_declaration
  left: (expression_list) @lhs
  right: (expression_list) @rhs) @assign
(assignment_statement
  left: (expression_list) @lhs
  right: (expression_list) @rhs) @assign
(var_spec
  name: (identifier) @lhs
  value: (expression_list) @rhs) @assign

; Names declared with a type: `client *s3.Client` in parameters, fields and `var`s.
(parameter_declaration
  name: (identifier) @typed
  type: (_) @type)
(field_declaration
  name: (field_identifier) @typed
  type: (_) @type)
(var_spec
  name: (identifier) @typed
  type: (_) @type)

; `Handler{Client: s3.NewFromConfig(cfg)}`: fields set in composite literals.
(keyed_element
  key: (literal_element (identifier) @lhs)
  value: (literal_element (_) @rhs)) @field_assign
