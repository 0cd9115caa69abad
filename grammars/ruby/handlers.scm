; Methods a Ruby handler (`file.method` or `file.Module::Class.method`) can name. The enclosing modules
; and classes are read from the ancestors by the caller.

(method
  name: (_) @name) @method

(singleton_method
  object: (self)
  name: (_) @name) @singleton
