; AWS SDK use in JavaScript and TypeScript (SDK v3 clients and commands, lib-dynamodb, SDK v2). Used for
; both grammars, so only node types they share appear here. The captures feed the binding table in
; `privilege/calls/js.rs`.

; `import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3"`, `import AWS from "aws-sdk"`.
(import_statement
  source: (string) @source) @import

; `const { S3Client } = require("@aws-sdk/client-s3")`, `const AWS = require("aws-sdk")`.
(variable_declarator
  name: (_) @pattern
  value: (call_expression
    function: (identifier) @require
    arguments: (arguments . (string) @source))
  (#eq? @require "require")) @require_decl

; `const x = <expr>`, `x = <expr>`, `this.x = <expr>`.
(variable_declarator
  name: (identifier) @lhs
  value: (_) @rhs) @assign
(assignment_expression
  left: [(identifier) (member_expression)] @lhs
  right: (_) @rhs) @assign

; `new PutObjectCommand(…)`, `new AWS.S3()`.
(new_expression
  constructor: (_) @ctor) @new

; `<receiver>.<method>(<args>)`.
(call_expression
  function: (member_expression
    object: (_) @receiver
    property: (property_identifier) @method)
  arguments: (arguments) @args) @call

; A method picked at run time: `client[op](…)`.
(call_expression
  function: (subscript_expression
    object: (_) @receiver)) @computed

; `helper(client)` passes a client on.
(call_expression
  function: (identifier) @function
  arguments: (arguments) @args) @plain

; Functions and their parameters, for clients passed as arguments.
(function_declaration
  name: (identifier) @def_name
  parameters: (formal_parameters) @params) @def
(variable_declarator
  name: (identifier) @def_name
  value: [(arrow_function) (function_expression)] @def)
