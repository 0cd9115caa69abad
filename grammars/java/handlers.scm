; Classes and methods a Java handler (`package.Class::method` or `package.Class`) can name. The class
; nesting is read from the ancestors by the caller.

(package_declaration
  [(identifier) (scoped_identifier)] @package)

(class_declaration
  name: (identifier) @name) @class

(method_declaration
  name: (identifier) @name) @method
