-- The plugin's invoke flow against a scripted in-process server (Neovim 0.11 accepts a function as `cmd`):
-- which arguments `:LambdaInvoke` and code lenses send, that streamed log lines land in the log buffer in
-- order, that the result opens in a float, and that lenses are refreshed on the right events. The same flow
-- against the real server is in test.lua.
--   nvim --headless --clean --cmd 'set rtp^=editors/nvim' -l invoke_ui_test.lua FIXTURE_COPY
local fixture = assert(arg[1], 'usage: invoke_ui_test.lua FIXTURE_COPY')
local template = vim.fs.normalize(fixture .. '/template.yaml')

local counts = { pass = 0, fail = 0 }
local function out(line)
  io.stdout:write(line .. '\n')
end
local function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    counts.pass = counts.pass + 1
    out('ok - invoke UI: ' .. name)
  else
    counts.fail = counts.fail + 1
    out('not ok - invoke UI: ' .. name .. '\n  ' .. tostring(err):gsub('\n', '\n  '))
  end
end
local function eq(a, b, what)
  if not vim.deep_equal(a, b) then
    error(('%s: expected %s, got %s'):format(what or 'value', vim.inspect(b), vim.inspect(a)), 2)
  end
end
local function wait(what, pred)
  local v
  assert(vim.wait(10000, function()
    v = pred()
    return v ~= nil and v ~= false
  end, 10), 'timed out waiting for ' .. what)
  return v
end

-- What the scripted server saw, and what it answers next.
local seen = { lens_requests = 0, lens_replies = 0, commands = {} }
local next_result

local function lens_at(line, command, fn_name)
  return {
    range = { start = { line = line, character = 2 }, ['end'] = { line = line, character = 15 } },
    command = { title = command == 'lambda-ls.invoke' and '▶ Invoke' or 'Invoke with event…', command = command, arguments = { { config = template, ['function'] = fn_name } } },
  }
end

local function scripted_server(dispatchers)
  local closing, id = false, 0
  local srv = {}
  function srv.request(method, params, callback)
    id = id + 1
    local reply = function(result)
      vim.schedule(function()
        callback(nil, result)
      end)
    end
    if method == 'initialize' then
      reply({
        capabilities = {
          codeLensProvider = { resolveProvider = false },
          executeCommandProvider = { commands = { 'lambda-ls.invoke', 'lambda-ls.invokeWithEvent', 'lambda-ls.eventChoices' } },
        },
      })
    elseif method == 'textDocument/codeLens' then
      seen.lens_requests = seen.lens_requests + 1
      local lenses = { lens_at(5, 'lambda-ls.invoke', 'HelloFunction'), lens_at(5, 'lambda-ls.invokeWithEvent', 'HelloFunction'), lens_at(23, 'lambda-ls.invoke', 'NotifyFunction') }
      vim.schedule(function()
        callback(nil, lenses)
        seen.lens_replies = seen.lens_replies + 1
      end)
    elseif method == 'workspace/executeCommand' and params.command == 'lambda-ls.eventChoices' then
      reply({
        defaultEventType = 'sqs',
        eventFiles = { vim.fs.normalize(fixture .. '/events/hello.json') },
        eventTypes = { { type = 's3-put', description = 'S3 put' }, { type = 'sqs', description = 'SQS batch' } },
      })
    elseif method == 'workspace/executeCommand' then
      -- The id is the client's; the tests compare the rest.
      local args = params.arguments[1]
      assert(type(args.invocationId) == 'string', 'no invocationId')
      local id = args.invocationId
      args.invocationId = nil
      table.insert(seen.commands, params)
      local result = next_result
      vim.schedule(function()
        for _, l in ipairs(result.stream or {}) do
          dispatchers.notification('lambda-ls/invokeLog', { invocationId = id, line = l })
        end
        callback(nil, result.answer)
      end)
    else
      reply(vim.NIL)
    end
    return true, id
  end
  function srv.notify(method)
    if method == 'exit' then
      closing = true
      vim.schedule(function()
        dispatchers.on_exit(0, 0)
      end)
    end
    return true
  end
  function srv.is_closing()
    return closing
  end
  function srv.terminate()
    closing = true
  end
  return srv
end

vim.lsp.config('lambda_ls', { cmd = scripted_server })
vim.lsp.enable('lambda_ls')
vim.cmd.edit(vim.fn.fnameescape(template))
local buf = vim.api.nvim_get_current_buf()
wait('attach', function()
  return vim.lsp.get_clients({ bufnr = buf, name = 'lambda_ls' })[1]
end)
local lambda_ls = require('lambda_ls')

local function float_text()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
    end
  end
end

local function log_lines()
  return vim.api.nvim_buf_get_lines(vim.fn.bufnr(lambda_ls.log_buffer_name), 0, -1, false)
end

local function run(cmd)
  lambda_ls.last = nil
  vim.cmd(cmd)
  return wait('the invoke to finish', function()
    return lambda_ls.last
  end)
end

test('lenses are requested when the server attaches', function()
  wait('lenses', function()
    return #lambda_ls.targets(buf) == 2
  end)
  eq(lambda_ls.targets(buf)[1].target, { config = template, ['function'] = 'HelloFunction' }, 'first target')
end)

test(':LambdaInvoke FILE: the nearest function above the cursor, the event file, logs in order, result in a float', function()
  vim.api.nvim_win_set_cursor(0, { 12, 0 })
  next_result = {
    stream = { 'START RequestId: r1', 'hello from HelloFunction', 'END RequestId: r1' },
    answer = {
      requestId = 'r1',
      status = 'success',
      logs = { 'START RequestId: r1', 'hello from HelloFunction', 'END RequestId: r1' },
      report = { durationMs = 1.25, billedDurationMs = 2, memorySizeMb = 128, maxMemoryUsedMb = 30, initDurationMs = 40.5 },
      payload = { name = 'Ada', greeting = 'Grüße' },
    },
  }
  local last = run('LambdaInvoke ' .. vim.fn.fnameescape(fixture .. '/events/hello.json'))
  eq(seen.commands[#seen.commands], {
    command = 'lambda-ls.invoke',
    arguments = { { config = template, ['function'] = 'HelloFunction', eventFile = vim.fn.fnamemodify(fixture .. '/events/hello.json', ':p') } },
  }, 'executeCommand')
  assert(last.rendered.ok)
  local log = log_lines()
  local text = table.concat(log, '\n')
  -- Streamed lines once (the result's copy of them is not added again), then REPORT and the summary.
  assert(text:find('▶ HelloFunction with hello.json', 1, true), text)
  assert(text:find('START RequestId: r1\nhello from HelloFunction\nEND RequestId: r1\nREPORT RequestId: r1\tDuration: 1.25 ms', 1, true), text)
  eq(select(2, text:gsub('hello from HelloFunction', '')), 1, 'copies of the log line')
  assert(log[#log]:find('✔ HelloFunction succeeded', 1, true), log[#log])
  local f = wait('the result float', float_text)
  assert(f:find('"greeting": "Grüße"', 1, true) and f:find('// REPORT RequestId: r1', 1, true), f)
end)

test(':LambdaInvoke TYPE and inline JSON; the cursor below the second function picks it', function()
  vim.api.nvim_win_set_cursor(0, { 26, 0 })
  next_result = { answer = { status = 'success', payload = vim.NIL, logs = { 'only in the result' } } }
  run('LambdaInvoke sqs')
  eq(seen.commands[#seen.commands].arguments[1], { config = template, ['function'] = 'NotifyFunction', eventType = 'sqs' }, 'arguments')
  -- No line was streamed, so the result's logs are shown.
  assert(table.concat(log_lines(), '\n'):find('only in the result', 1, true))
  run('LambdaInvoke {"Records": []}')
  eq(seen.commands[#seen.commands].arguments[1].event, { Records = {} }, 'inline event')
end)

test('running the ▶ Invoke lens invokes without an event; an error shows in the float', function()
  vim.api.nvim_win_set_cursor(0, { 6, 0 })
  next_result = {
    answer = {
      status = 'timeout',
      error = { errorMessage = 'Task timed out after 5.00 seconds' },
      errorType = 'Sandbox.Timedout',
      report = { durationMs = 5000, billedDurationMs = 5000, memorySizeMb = 128 },
    },
  }
  lambda_ls.last = nil
  -- Both lenses are on this line; pick the first (▶ Invoke).
  local orig = vim.ui.select
  vim.ui.select = function(items, _, on_choice)
    on_choice(items[1], 1)
  end
  vim.lsp.codelens.run()
  vim.ui.select = orig
  local last = wait('the lens invoke', function()
    return lambda_ls.last
  end)
  eq(seen.commands[#seen.commands].arguments[1], { config = template, ['function'] = 'HelloFunction' }, 'arguments')
  eq(last.rendered.ok, false)
  local f = wait('the error float', function()
    local t = float_text()
    return t and t:find('Sandbox.Timedout', 1, true) and t
  end)
  assert(f:find('Task timed out after 5.00 seconds', 1, true), f)
end)

test('Invoke with event…: the server\'s choices, its default sample first; the streamed REPORT is not repeated', function()
  vim.api.nvim_win_set_cursor(0, { 6, 0 })
  local line = 'REPORT RequestId: r3\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB'
  next_result = {
    stream = { 'START RequestId: r3', 'END RequestId: r3', line },
    answer = { requestId = 'r3', status = 'success', payload = { ok = true }, logs = { 'START RequestId: r3', 'END RequestId: r3', line } },
  }
  local offered
  local orig = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    if opts.prompt and opts.prompt:find('with event', 1, true) then
      offered = vim.tbl_map(function(c)
        return c.label
      end, items)
      on_choice(items[2], 2)
    else
      on_choice(items[2], 2) -- the second lens on the line: Invoke with event…
    end
  end
  lambda_ls.last = nil
  vim.lsp.codelens.run()
  vim.ui.select = orig
  wait('the invoke with event', function()
    return lambda_ls.last
  end)
  assert(offered[1]:find('hello.json', 1, true), vim.inspect(offered))
  assert(offered[2]:find('sample: sqs', 1, true) and offered[2]:find("this function's event source", 1, true), vim.inspect(offered))
  eq(seen.commands[#seen.commands].arguments[1], { config = template, ['function'] = 'HelloFunction', eventType = 'sqs' }, 'arguments')
  local text = table.concat(log_lines(), '\n')
  local _, reports = text:gsub('REPORT RequestId: r3', '')
  eq(reports, 1, 'REPORT lines in the log')
  eq(lambda_ls.last.rendered.report, line, 'REPORT from the logs')
end)

test('lenses are refreshed on InsertLeave, TextChanged, BufEnter and BufWritePost', function()
  for _, event in ipairs({ 'InsertLeave', 'TextChanged', 'BufEnter', 'BufWritePost' }) do
    -- Neovim skips a refresh while one is in flight: let the last one finish first.
    wait('no lens request in flight', function()
      return seen.lens_replies == seen.lens_requests
    end)
    local before = seen.lens_requests
    vim.api.nvim_exec_autocmds(event, { buffer = buf })
    wait('a codeLens request after ' .. event, function()
      return seen.lens_requests > before
    end)
  end
  -- A burst of edits costs one request.
  wait('no lens request in flight', function()
    return seen.lens_replies == seen.lens_requests
  end)
  local before = seen.lens_requests
  for _ = 1, 5 do
    vim.api.nvim_exec_autocmds('TextChanged', { buffer = buf })
  end
  wait('the burst refresh', function()
    return seen.lens_requests > before
  end)
  vim.wait(300)
  eq(seen.lens_requests, before + 1, 'lens requests after five TextChanged')
end)

for _, c in ipairs(vim.lsp.get_clients({ name = 'lambda_ls' })) do
  c:stop(true)
end
out(('neovim-invoke-ui: %d passed, %d failed'):format(counts.pass, counts.fail))
os.exit(counts.fail > 0 and 1 or 0)
