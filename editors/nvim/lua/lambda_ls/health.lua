-- `:checkhealth lambda_ls`: the server binary and its version, Neovim's version, and the runtimes invoke uses.
local M = {}

local function configured()
  local ok, cfg = pcall(function()
    return vim.lsp.config and vim.lsp.config.lambda_ls
  end)
  return ok and cfg or nil
end

function M.check()
  local health = vim.health
  health.start('lambda-ls')

  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()) .. ": `vim.lsp.enable('lambda_ls')` works")
  else
    health.warn('Neovim ' .. tostring(vim.version()) .. ' is older than 0.11', {
      'Use the nvim-lspconfig snippet in the lambda-ls README, or upgrade to Neovim 0.11',
    })
  end

  local cfg = configured()
  local cmd = cfg and type(cfg.cmd) == 'table' and cfg.cmd[1] or 'lambda-ls'
  local path = vim.fn.exepath(cmd)
  if path == '' then
    health.error(('server binary `%s` not found'):format(cmd), {
      'Install it from a checkout of lambda-ls: cargo install --path server',
      "or point the config at it: vim.lsp.config('lambda_ls', { cmd = { '/path/to/lambda-ls', 'serve' } })",
    })
  else
    health.ok(('server binary: %s'):format(path))
    local ok, obj = pcall(function()
      return vim.system({ path, '--version' }, { text = true }):wait(5000)
    end)
    if ok and obj.code == 0 then
      health.ok('version: ' .. vim.trim(obj.stdout))
    else
      health.error(('`%s --version` failed'):format(path), { ok and vim.trim(obj.stderr or '') or tostring(obj) })
    end
  end

  local clients = vim.lsp.get_clients({ name = 'lambda_ls' })
  if #clients > 0 then
    for _, c in ipairs(clients) do
      health.ok(('client %d running, root %s, position encoding %s'):format(c.id, c.root_dir or '(none)', c.offset_encoding))
    end
  else
    health.info("no lambda_ls client is running (open a template; is `vim.lsp.enable('lambda_ls')` in your config?)")
  end

  local invoke = (cfg and cfg.settings and cfg.settings.lambdaLs and cfg.settings.lambdaLs.invoke) or {}
  for _, rt in ipairs({
    { name = 'python3', setting = invoke.python, what = 'Python functions' },
    { name = 'node', setting = invoke.node, what = 'Node.js functions' },
  }) do
    local exe = rt.setting or rt.name
    local found = vim.fn.exepath(exe)
    if found == '' then
      health.warn(('`%s` not found: invoking %s will fail'):format(exe, rt.what), {
        ('Install %s, or set settings.lambdaLs.invoke.%s'):format(rt.name, rt.name == 'node' and 'node' or 'python'),
      })
    else
      local obj = vim.system({ found, '--version' }, { text = true }):wait(5000)
      local version = vim.trim((obj.stdout ~= '' and obj.stdout or obj.stderr) or '')
      health.ok(('%s: %s (%s), for %s'):format(rt.name, found, version, rt.what))
    end
  end
end

return M
