-- Headless Neovim against the real server: `nvim --headless --clean --cmd 'set rtp^=editors/nvim' -l test.lua
-- FIXTURE_COPY ENCODING PENDING_JSON`. lambda-ls must be on PATH (the default config runs `lambda-ls serve`).
-- Prints one line per test and a closing `neovim-ENC: N passed, N failed, N skipped`; exits 1 on a failure.
-- Tests of features listed in PENDING_JSON run too: a failure there counts as skipped (TODO), a pass as a pass.

local fixture, encoding, pending_path = arg[1], arg[2], arg[3]
assert(fixture and (encoding == 'utf-8' or encoding == 'utf-16'), 'usage: test.lua FIXTURE utf-8|utf-16 PENDING_JSON')
local strict = os.getenv('LAMBDA_LS_EDITOR_STRICT') == '1'
local pending = {}
if pending_path and not strict then
  pending = vim.json.decode(table.concat(vim.fn.readfile(pending_path), '\n'))
end

local counts = { pass = 0, fail = 0, skip = 0 }
local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local buf -- the template's buffer; every test starts and ends there
local function test(name, feature, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if buf and vim.api.nvim_buf_is_valid(buf) and vim.api.nvim_get_current_buf() ~= buf then
    pcall(vim.cmd.buffer, buf)
  end
  local label = ('[%s] %s'):format(encoding, name)
  if ok then
    counts.pass = counts.pass + 1
    out('ok - ' .. label .. (feature and pending[feature] and ('  (passes now: remove "' .. feature .. '" from pending.json)') or ''))
  elseif feature and pending[feature] then
    counts.skip = counts.skip + 1
    out(('todo - %s # waits for %s: %s'):format(label, feature, pending[feature]))
  else
    counts.fail = counts.fail + 1
    out('not ok - ' .. label)
    out('  ' .. tostring(err):gsub('\n', '\n  '))
  end
end

local function wait(what, ms, pred)
  local value
  local ok = vim.wait(ms, function()
    value = pred()
    return value ~= nil and value ~= false
  end, 20)
  assert(ok, 'timed out waiting for ' .. what)
  return value
end

local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(('%s: expected %s, got %s'):format(what or 'value', vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local function units(s)
  return encoding == 'utf-8' and #s or vim.str_utfindex(s, 'utf-16')
end

-- The plugin's own configuration, only narrowed to one position encoding and a short diagnostics delay.
local caps = vim.lsp.protocol.make_client_capabilities()
caps.general = caps.general or {}
caps.general.positionEncodings = { encoding }
vim.lsp.config('lambda_ls', { capabilities = caps, settings = { lambdaLs = { diagnosticsDelayMs = 20 } } })
vim.lsp.enable('lambda_ls')

local template = fixture .. '/template.yaml'
vim.cmd.edit(vim.fn.fnameescape(template))
buf = vim.api.nvim_get_current_buf()
local client = wait('lambda_ls to attach', 20000, function()
  return vim.lsp.get_clients({ bufnr = buf, name = 'lambda_ls' })[1]
end)

local function diagnostic(bufnr, code)
  return wait('diagnostic ' .. code, 20000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == code then
        return d
      end
    end
  end)
end

local function find_line(bufnr, needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l:find(needle, 1, true) then
      return i - 1, l
    end
  end
  error('no line holds ' .. needle)
end

test('attaches from the lsp/ config with the root marker and the negotiated encoding', nil, function()
  eq(client.offset_encoding, encoding, 'offset encoding')
  eq(client.root_dir, vim.fs.normalize(fixture), 'root dir')
end)

test('diagnostic columns on a line with non-ASCII text', nil, function()
  local d = diagnostic(buf, 'function/unknown-runtime')
  local lnum, line = find_line(buf, 'Runtime: nodejs22 }')
  local col = line:find('nodejs22 }', 1, true) - 1
  -- Neovim turns the server's positions into byte columns using the negotiated encoding; they must land on
  -- the runtime value whatever the encoding (the line holds ü, ß, ö and an emoji before it).
  eq({ d.lnum, d.col, d.end_lnum, d.end_col }, { lnum, col, lnum, col + #'nodejs22' }, 'range')
  assert(units(line:sub(1, col)) ~= col or encoding == 'utf-8', 'the line must make encodings differ')
end)

test('diagnostic column after an emoji in a one-line policy', nil, function()
  vim.cmd.edit(vim.fn.fnameescape(fixture .. '/policy.json'))
  local pbuf = vim.api.nvim_get_current_buf()
  local d = diagnostic(pbuf, 'iam/version')
  local line = vim.api.nvim_buf_get_lines(pbuf, 0, 1, false)[1]
  eq({ d.lnum, d.col }, { 0, line:find('"2012-10-18"', 1, true) - 1 }, 'position')
  vim.cmd.buffer(buf)
end)

test('quick fix for the runtime', nil, function()
  local d = diagnostic(buf, 'function/unknown-runtime')
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = d.user_data.lsp.range,
    context = { diagnostics = { d.user_data.lsp }, only = { 'quickfix' } },
  }
  local res = client:request_sync('textDocument/codeAction', params, 10000, buf)
  local titles = vim.tbl_map(function(a)
    return a.title
  end, res.result or {})
  assert(vim.iter(titles):any(function(t)
    return t:find('nodejs22.x', 1, true)
  end), vim.inspect(titles))
end)

test('nothing on unrelated YAML', nil, function()
  vim.fn.mkdir(fixture .. '/.github/workflows', 'p')
  vim.fn.writefile({ 'on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest' }, fixture .. '/.github/workflows/ci.yml')
  vim.fn.writefile({ '{"Statement": [], "Version": "2012-10-18"}' }, fixture .. '/later.json')
  vim.cmd.edit(vim.fn.fnameescape(fixture .. '/.github/workflows/ci.yml'))
  local ybuf = vim.api.nvim_get_current_buf()
  wait('attach to ci.yml', 10000, function()
    return #vim.lsp.get_clients({ bufnr = ybuf, name = 'lambda_ls' }) > 0
  end)
  vim.cmd.edit(vim.fn.fnameescape(fixture .. '/later.json'))
  diagnostic(vim.api.nvim_get_current_buf(), 'iam/version')
  eq(#vim.diagnostic.get(ybuf), 0, 'diagnostics on ci.yml')
  vim.cmd.buffer(buf)
end)

test('completes IAM actions after s3:Get', 'iam-completion', function()
  local lnum, line = find_line(buf, '- s3:GetObject')
  local edited = line:gsub('s3:GetObject', 's3:Get')
  vim.api.nvim_buf_set_lines(buf, lnum, lnum + 1, false, { edited })
  local ok, err = pcall(function()
    local params = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = lnum, character = units(edited) } }
    local res = client:request_sync('textDocument/completion', params, 10000, buf)
    local items = res and res.result and (res.result.items or res.result) or {}
    local labels = vim.tbl_map(function(i)
      return i.label
    end, items)
    assert(vim.tbl_contains(labels, 's3:GetObject'), 'labels: ' .. vim.inspect(vim.list_slice(labels, 1, 15)))
  end)
  vim.api.nvim_buf_set_lines(buf, lnum, lnum + 1, false, { line })
  assert(ok, err)
end)

local function invoke_lens_for(bufnr, fn_name)
  return wait('an invoke lens for ' .. fn_name, 15000, function()
    for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
      local c = lens.command
      if c and c.command == 'lambda-ls.invoke' and c.arguments and c.arguments[1]['function'] == fn_name then
        return lens
      end
    end
  end)
end

test('▶ Invoke code lens above the template\'s function', 'invoke', function()
  local lens = invoke_lens_for(buf, 'HelloFunction')
  assert(lens.command.title:find('▶ Invoke', 1, true), lens.command.title)
  eq(lens.command.arguments[1].config, vim.fs.normalize(template), 'config path')
end)

test('▶ Invoke code lens above the handler in code', 'handler-lenses', function()
  vim.cmd.edit(vim.fn.fnameescape(fixture .. '/hello/app.py'))
  invoke_lens_for(vim.api.nvim_get_current_buf(), 'HelloFunction')
  vim.cmd.buffer(buf)
end)

test('code lenses follow edits (refresh on InsertLeave/TextChanged)', 'invoke', function()
  invoke_lens_for(buf, 'HelloFunction')
  local lnum, line = find_line(buf, 'HelloFunction:')
  vim.api.nvim_buf_set_lines(buf, lnum, lnum + 1, false, { (line:gsub('HelloFunction', 'GreetFunction')) })
  vim.api.nvim_exec_autocmds('InsertLeave', { buffer = buf })
  local ok, err = pcall(invoke_lens_for, buf, 'GreetFunction')
  vim.api.nvim_buf_set_lines(buf, lnum, lnum + 1, false, { line })
  vim.api.nvim_exec_autocmds('InsertLeave', { buffer = buf })
  assert(ok, err)
  invoke_lens_for(buf, 'HelloFunction')
end)

test(':LambdaInvoke with an event file: logs stream into the log buffer, the result in a float', 'invoke', function()
  local lambda_ls = require('lambda_ls')
  vim.cmd.buffer(buf)
  local lnum = find_line(buf, 'HelloFunction:')
  vim.api.nvim_win_set_cursor(0, { lnum + 2, 0 })
  invoke_lens_for(buf, 'HelloFunction')
  vim.cmd('LambdaInvoke ' .. vim.fn.fnameescape(fixture .. '/events/hello.json'))
  local last = wait('the invoke result', 30000, function()
    return lambda_ls.last
  end)
  assert(last.err == nil, vim.inspect(last.err))
  assert(last.rendered.ok, last.rendered.text)
  assert(last.rendered.report and last.rendered.report:find('^REPORT RequestId: '), vim.inspect(last.rendered.report))
  local log = table.concat(vim.api.nvim_buf_get_lines(vim.fn.bufnr(lambda_ls.log_buffer_name), 0, -1, false), '\n')
  assert(log:find('hello from', 1, true), log)
  local float_text
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      float_text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
    end
  end
  assert(float_text and float_text:find('"name": "Ada"', 1, true) and float_text:find('Grüße', 1, true), tostring(float_text))
end)

test(':LambdaEvents opens a sample event as JSON', 'invoke', function()
  local events = require('lambda_ls').sample_events()
  assert(#events >= 40, 'sample events: ' .. #events)
  local ebuf = require('lambda_ls').events_command(events[1].type)
  local text = table.concat(vim.api.nvim_buf_get_lines(ebuf, 0, -1, false), '\n')
  assert(pcall(vim.json.decode, text), text)
  vim.cmd('close')
end)

test('a rule turned off in settings.lambdaLs.rules disappears after didChangeConfiguration', 'lsp-settings', function()
  vim.cmd.edit(vim.fn.fnameescape(fixture .. '/policy.json'))
  local pbuf = vim.api.nvim_get_current_buf()
  diagnostic(pbuf, 'iam/version')
  -- Neovim answers the server's workspace/configuration pull from `client.settings`.
  client.settings = vim.tbl_deep_extend('force', client.settings or {}, { lambdaLs = { rules = { ['iam/version'] = 'off' } } })
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  wait('iam/version to go', 20000, function()
    for _, d in ipairs(vim.diagnostic.get(pbuf)) do
      if d.code == 'iam/version' then
        return false
      end
    end
    return true
  end)
  vim.cmd.buffer(buf)
end)

test(':checkhealth lambda_ls finds the binary, its version, python3 and node', nil, function()
  vim.cmd('silent checkhealth lambda_ls')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  assert(text:find('OK server binary: ' .. vim.fn.exepath('lambda-ls'), 1, true), text)
  assert(text:find('OK version: lambda%-ls %d+%.%d+'), text)
  assert(text:find('OK python3: ', 1, true), text)
  assert(text:find('OK node: ', 1, true), text)
  assert(not text:find('ERROR', 1, true), text)
  vim.cmd('bwipeout')
end)

for _, c in ipairs(vim.lsp.get_clients({ name = 'lambda_ls' })) do
  c:stop()
end
vim.wait(5000, function()
  return #vim.lsp.get_clients({ name = 'lambda_ls' }) == 0
end, 20)
out(('neovim-%s: %d passed, %d failed, %d skipped'):format(encoding, counts.pass, counts.fail, counts.skip))
os.exit(counts.fail > 0 and 1 or 0)
