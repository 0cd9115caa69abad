-- lambda-ls for Neovim 0.11+: `vim.lsp.enable('lambda_ls')`.
-- Override any field with `vim.lsp.config('lambda_ls', { ... })`, e.g. `cmd = { '/path/to/lambda-ls', 'serve' }`
-- or `settings = { lambdaLs = { rules = { ['iam/'] = 'warning' } } }`.

---@type vim.lsp.Config
return {
  cmd = { 'lambda-ls', 'serve' },
  filetypes = {
    'yaml',
    'json',
    'jsonc',
    'python',
    'javascript',
    'javascriptreact',
    'typescript',
    'typescriptreact',
    'go',
  },
  root_markers = { 'template.yaml', 'template.yml', 'samconfig.toml', 'serverless.yml', '.git' },
  -- The server answers `workspace/configuration` for section `lambdaLs` from here, and reads the same table at
  -- start-up (see before_init).
  settings = {
    lambdaLs = {
      rules = vim.empty_dict(),
      diagnosticsDelayMs = 200,
      invoke = vim.empty_dict(),
    },
  },
  before_init = function(params, config)
    local s = vim.deepcopy((config.settings or {}).lambdaLs or {})
    params.initializationOptions = vim.tbl_deep_extend('force', s, config.init_options or {})
  end,
  handlers = {
    ['lambda-ls/invokeLog'] = function(err, result, ctx)
      local ok, lambda_ls = pcall(require, 'lambda_ls')
      if ok then
        lambda_ls.on_log(err, result, ctx)
      end
    end,
  },
}
