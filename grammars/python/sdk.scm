; AWS SDK use in Python (boto3). The captures feed a binding table in `privilege/calls/python.rs`, which
; decides what each name holds (boto3, a session, a client or resource of some service).

; `name = <expr>`, `self.name = <expr>`, `a, b = …` (left and right as written).
(assignment
  left: [(identifier) (attribute)] @lhs
  right: (_) @rhs) @assign

; `with boto3.client("s3") as s3:` binds too.
(with_item
  value: (as_pattern
    (_) @rhs
    alias: (as_pattern_target (identifier) @lhs))) @assign

; Method calls: `<receiver>.<method>(<args>)`.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args) @call

; Calls of plain names: `helper(client)` passes a client on.
(call
  function: (identifier) @function
  arguments: (argument_list) @args) @plain

; A method picked at run time: `getattr(client, name)(…)`.
(call
  function: (call
    function: (identifier) @getattr
    arguments: (argument_list . (_) @receiver))
  (#eq? @getattr "getattr")) @computed

(import_statement) @import
(import_from_statement) @import_from

; Functions and their parameters, for clients passed as arguments.
(function_definition
  name: (identifier) @def_name
  parameters: (parameters) @params) @def
