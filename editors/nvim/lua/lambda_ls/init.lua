-- Invoke, sample events and code lens refresh for lambda-ls. The protocol: code lenses carry
-- `lambda-ls.invoke` / `lambda-ls.invokeWithEvent` with `{ config, function }`; `workspace/executeCommand`
-- `lambda-ls.invoke` takes that plus one of `eventFile`, `eventType`, `event`; log lines arrive as
-- `lambda-ls/invokeLog` notifications `{ line }` while the function runs; the answer is the result.
local M = {}

local render = require('lambda_ls.render')

M.log_buffer_name = 'lambda-ls://invoke-log'
--- The last invoke: `{ target, result, err, rendered }`, for scripts and tests.
M.last = nil

local function lambda_clients(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'lambda_ls' })
end

local function any_client()
  return lambda_clients(0)[1] or vim.lsp.get_clients({ name = 'lambda_ls' })[1]
end

--- The server binary a client runs (for `events list` / `events show`).
function M.binary(client)
  client = client or any_client()
  local cmd = client and client.config.cmd
  if type(cmd) == 'table' and cmd[1] then
    return cmd[1]
  end
  local ok, cfg = pcall(function()
    return vim.lsp.config.lambda_ls
  end)
  if ok and cfg and type(cfg.cmd) == 'table' then
    return cfg.cmd[1]
  end
  return 'lambda-ls'
end

local refresh_group = vim.api.nvim_create_augroup('lambda_ls_codelens', { clear = true })
local refresh_timers = {}

--- Refreshes a buffer's code lenses after `delay` ms; a newer call restarts the wait, so a burst of edits
--- costs one request.
local function refresh_later(bufnr, delay)
  local timer = refresh_timers[bufnr]
  if not timer then
    timer = assert(vim.uv.new_timer())
    refresh_timers[bufnr] = timer
  end
  timer:stop()
  timer:start(delay, 0, vim.schedule_wrap(function()
    if vim.api.nvim_buf_is_valid(bufnr) and #lambda_clients(bufnr) > 0 then
      vim.lsp.codelens.refresh({ bufnr = bufnr })
    end
  end))
end

function M.on_attach(client, bufnr)
  if not client:supports_method('textDocument/codeLens') then
    return
  end
  refresh_later(bufnr, 0)
  -- Lenses move with edits (when leaving insert mode, after undo or paste) and with saves of other files
  -- (a template names the handlers that get lenses), so refresh on entering the buffer too.
  vim.api.nvim_clear_autocmds({ group = refresh_group, buffer = bufnr })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost', 'TextChanged' }, {
    group = refresh_group,
    buffer = bufnr,
    callback = function(ev)
      refresh_later(bufnr, ev.event == 'TextChanged' and 150 or 0)
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = refresh_group,
    buffer = bufnr,
    callback = function()
      local timer = refresh_timers[bufnr]
      refresh_timers[bufnr] = nil
      if timer then
        timer:stop()
        timer:close()
      end
    end,
  })
end

-- Log buffer ----------------------------------------------------------------------------------------------

local function log_buffer()
  local buf = vim.fn.bufnr(M.log_buffer_name)
  if buf == -1 or not vim.api.nvim_buf_is_valid(buf) then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, M.log_buffer_name)
    vim.bo[buf].buftype = 'nofile'
    vim.bo[buf].bufhidden = 'hide'
    vim.bo[buf].swapfile = false
    vim.bo[buf].filetype = 'lambdalog'
  end
  return buf
end

local function show_log()
  local buf = log_buffer()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_buf(win) == buf then
      return buf, win
    end
  end
  local current = vim.api.nvim_get_current_win()
  vim.cmd('botright 10split')
  local win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_buf(win, buf)
  vim.api.nvim_set_current_win(current)
  return buf, win
end

local function append_log(lines)
  local buf = log_buffer()
  local count = vim.api.nvim_buf_line_count(buf)
  local empty = count == 1 and vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1] == ''
  vim.api.nvim_buf_set_lines(buf, empty and 0 or count, -1, false, lines)
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_buf(win) == buf then
      vim.api.nvim_win_set_cursor(win, { vim.api.nvim_buf_line_count(buf), 0 })
    end
  end
end

-- Lines streamed per running invocation, and whether a REPORT line was among them.
local runs = {}
local run_counter = 0

function M.on_log(_, result, _)
  local line = render.log_line(result)
  if not line then
    return
  end
  local id = type(result) == 'table' and result.invocationId or nil
  local run = id and runs[id]
  if not run and not id then
    -- A server that does not name the invocation: the only one running.
    local only, n = nil, 0
    for _, r in pairs(runs) do
      only, n = r, n + 1
    end
    run = n == 1 and only or nil
  end
  if run then
    run.lines = run.lines + 1
    run.report = run.report or vim.startswith(line, 'REPORT ')
  end
  -- Log lines may hold newlines (a stack trace in one print).
  append_log(vim.split(line, '\n', { plain = true }))
end

--- Invoke settings of a client (`settings.lambdaLs.invoke`).
local function invoke_settings(client)
  local s = client and client.settings and client.settings.lambdaLs
    or client and client.config.settings and client.config.settings.lambdaLs
    or {}
  return type(s.invoke) == 'table' and s.invoke or {}
end

-- Result float --------------------------------------------------------------------------------------------

function M.show_result(text)
  local lines = vim.split(text, '\n', { plain = true, trimempty = true })
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].filetype = 'jsonc'
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = 'wipe'
  local width = 20
  for _, l in ipairs(lines) do
    width = math.max(width, vim.fn.strdisplaywidth(l))
  end
  width = math.min(width + 2, math.max(20, vim.o.columns - 4))
  local height = math.min(#lines, math.max(3, vim.o.lines - 6))
  local win = vim.api.nvim_open_win(buf, false, {
    relative = 'editor',
    width = width,
    height = height,
    row = math.floor((vim.o.lines - height) / 2) - 1,
    col = math.floor((vim.o.columns - width) / 2),
    style = 'minimal',
    border = 'rounded',
    title = ' lambda-ls invoke ',
    title_pos = 'center',
  })
  vim.keymap.set('n', 'q', '<cmd>close<cr>', { buffer = buf, nowait = true })
  vim.api.nvim_create_autocmd({ 'CursorMoved', 'BufLeave' }, {
    once = true,
    callback = function()
      if vim.api.nvim_win_is_valid(win) and vim.api.nvim_get_current_win() ~= win then
        pcall(vim.api.nvim_win_close, win, true)
      end
    end,
  })
  return buf, win
end

-- Invoke --------------------------------------------------------------------------------------------------

local function as_target(arg)
  if type(arg) == 'table' and type(arg.config) == 'string' and type(arg['function']) == 'string' then
    return { config = arg.config, ['function'] = arg['function'] }
  end
end

--- Runs `lambda-ls.invoke` for `target` with an optional event choice (`{ eventFile = … }`, …).
function M.invoke(target, event, client)
  client = client or any_client()
  if not client then
    vim.notify('lambda-ls: no lambda_ls client is running', vim.log.levels.ERROR)
    return
  end
  run_counter = run_counter + 1
  local invocation_id = ('nvim-%d-%d'):format(vim.fn.getpid(), run_counter)
  local args = vim.tbl_extend('force', {}, target, event or {}, { invocationId = invocation_id })
  -- The env file and variables from the settings go with each call too.
  local inv = invoke_settings(client)
  if type(inv.envFile) == 'string' and inv.envFile ~= '' then
    args.envFile = inv.envFile
  end
  if type(inv.env) == 'table' and next(inv.env) then
    args.env = inv.env
  end
  local run = { lines = 0, report = false }
  runs[invocation_id] = run
  show_log()
  local what = ''
  if event and event.eventFile then
    what = ' with ' .. vim.fn.fnamemodify(event.eventFile, ':t')
  elseif event and event.eventType then
    what = ' with sample ' .. event.eventType
  end
  append_log({ ('▶ %s%s (%s)'):format(target['function'], what, vim.fn.fnamemodify(target.config, ':~:.')) })
  M.last = nil
  client:request('workspace/executeCommand', { command = 'lambda-ls.invoke', arguments = { args } }, function(err, result)
    runs[invocation_id] = nil
    local rendered
    if err then
      append_log({ ('✖ %s: %s'):format(target['function'], err.message or vim.inspect(err)) })
      vim.notify(('lambda-ls: invoke %s: %s'):format(target['function'], err.message or ''), vim.log.levels.ERROR)
    else
      rendered = render.result(target['function'], result)
      -- Lines that did not stream (an older server) come from the result; the REPORT line once.
      local reported = run.report
      if run.lines == 0 and #rendered.logs > 0 then
        append_log(rendered.logs)
        for _, l in ipairs(rendered.logs) do
          reported = reported or vim.startswith(l, 'REPORT ')
        end
      end
      if rendered.report and not reported then
        append_log({ rendered.report })
      end
      append_log({ (rendered.ok and '✔ ' or '✖ ') .. rendered.summary })
      M.show_result(rendered.text)
    end
    M.last = { target = target, result = result, err = err, rendered = rendered }
    vim.api.nvim_exec_autocmds('User', { pattern = 'LambdaInvokeDone', modeline = false })
  end)
end

--- Invoke targets of a buffer from its code lenses, ordered by line.
function M.targets(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local out = {}
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    local cmd = lens.command
    local target = cmd and cmd.command == 'lambda-ls.invoke' and as_target((cmd.arguments or {})[1])
    if target then
      table.insert(out, { line = lens.range.start.line, target = target })
    end
  end
  table.sort(out, function(a, b)
    return a.line < b.line
  end)
  return out
end

local function target_at_cursor()
  local targets = M.targets(0)
  if #targets == 0 then
    -- Lenses may not have arrived yet: ask once, synchronously.
    local client = lambda_clients(0)[1]
    if client then
      local params = { textDocument = vim.lsp.util.make_text_document_params(0) }
      local res = client:request_sync('textDocument/codeLens', params, 5000, 0)
      for _, lens in ipairs((res and res.result) or {}) do
        local cmd = lens.command
        local target = cmd and cmd.command == 'lambda-ls.invoke' and as_target((cmd.arguments or {})[1])
        if target then
          table.insert(targets, { line = lens.range.start.line, target = target })
        end
      end
    end
  end
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local best
  for _, t in ipairs(targets) do
    if t.line <= line then
      best = t
    end
  end
  best = best or targets[1]
  return best and best.target
end

local function events_folder(target, client)
  client = client or any_client()
  local s = client and client.config.settings and client.config.settings.lambdaLs or {}
  local folder = type(s.invoke) == 'table' and s.invoke.events or nil
  if type(folder) ~= 'string' or folder == '' then
    return vim.fs.joinpath(vim.fs.dirname(target.config), 'events')
  end
  folder = vim.fn.expand(folder)
  if folder:sub(1, 1) ~= '/' then
    -- Relative paths in settings are taken from the workspace root, as the server does.
    folder = vim.fs.joinpath(client and client.root_dir or vim.fn.getcwd(), folder)
  end
  return folder
end

local function event_files(target)
  local dir = events_folder(target)
  local out = {}
  for name, kind in vim.fs.dir(dir) do
    if kind == 'file' and name:lower():match('%.json$') then
      table.insert(out, vim.fs.joinpath(dir, name))
    end
  end
  table.sort(out)
  return out
end

--- Sample event types from `lambda-ls events list`.
function M.sample_events()
  local ok, obj = pcall(function()
    return vim.system({ M.binary(), 'events', 'list' }, { text = true }):wait(15000)
  end)
  if not ok or obj.code ~= 0 then
    return {}
  end
  return render.parse_event_list(obj.stdout or '')
end

--- An event argument: a readable file, JSON text, or a sample event type.
function M.event_from_arg(arg)
  arg = vim.trim(arg or '')
  if arg == '' then
    return nil
  end
  if arg:sub(1, 1) == '{' or arg:sub(1, 1) == '[' then
    local ok, decoded = pcall(vim.json.decode, arg)
    if ok then
      return { event = decoded }
    end
  end
  local path = vim.fn.fnamemodify(vim.fn.expand(arg), ':p')
  if vim.fn.filereadable(path) == 1 then
    return { eventFile = path }
  end
  return { eventType = arg }
end

--- What "Invoke with event…" offers: the server's `lambda-ls.eventChoices` when it has the command, else the
--- events folder and `lambda-ls events list`.
function M.event_choices(target, client)
  client = client or any_client()
  local commands = client
      and client.server_capabilities
      and client.server_capabilities.executeCommandProvider
      and client.server_capabilities.executeCommandProvider.commands
    or {}
  if vim.tbl_contains(commands, 'lambda-ls.eventChoices') then
    local res = client:request_sync('workspace/executeCommand', { command = 'lambda-ls.eventChoices', arguments = { target } }, 10000)
    local v = res and res.result
    if type(v) == 'table' and (type(v.eventFiles) == 'table' or type(v.eventTypes) == 'table') then
      local types = render.parse_event_list(vim.json.encode(v.eventTypes or {}))
      local files = vim.tbl_filter(function(f)
        return type(f) == 'string'
      end, v.eventFiles or {})
      return { default = type(v.defaultEventType) == 'string' and v.defaultEventType or nil, files = files, types = types }
    end
  end
  return { files = event_files(target), types = M.sample_events() }
end

local function pick_event(target, done)
  local choices = {}
  local offered = M.event_choices(target)
  for _, f in ipairs(offered.files) do
    table.insert(choices, { label = 'file: ' .. vim.fn.fnamemodify(f, ':~:.'), event = { eventFile = f } })
  end
  local types = vim.deepcopy(offered.types)
  table.sort(types, function(a, b)
    return (a.type == offered.default) and b.type ~= offered.default
  end)
  for _, e in ipairs(types) do
    local label = 'sample: ' .. e.type .. (e.description ~= '' and ('  — ' .. e.description) or '')
    if e.type == offered.default then
      label = label .. "  (this function's event source)"
    end
    table.insert(choices, { label = label, event = { eventType = e.type } })
  end
  table.insert(choices, { label = 'Another JSON file…', ask = true })
  vim.ui.select(choices, {
    prompt = ('Invoke %s with event'):format(target['function']),
    format_item = function(c)
      return c.label
    end,
  }, function(choice)
    if not choice then
      return
    end
    if choice.ask then
      vim.ui.input({ prompt = 'Event JSON file: ', completion = 'file' }, function(input)
        local ev = M.event_from_arg(input)
        if ev then
          done(ev)
        end
      end)
    else
      done(choice.event)
    end
  end)
end

function M.invoke_lens(command, ctx, with_event)
  local target = as_target((command.arguments or {})[1])
  if not target then
    vim.notify('lambda-ls: this invoke lens carries no function', vim.log.levels.ERROR)
    return
  end
  local client = ctx and vim.lsp.get_client_by_id(ctx.client_id)
  if with_event then
    pick_event(target, function(ev)
      M.invoke(target, ev, client)
    end)
  else
    M.invoke(target, nil, client)
  end
end

--- `:LambdaInvoke [event]`
function M.invoke_command(arg)
  local target = target_at_cursor()
  if not target then
    vim.notify(
      'lambda-ls: no function to invoke here; open a template, or a handler that a template references',
      vim.log.levels.WARN
    )
    return
  end
  M.invoke(target, M.event_from_arg(arg), lambda_clients(0)[1])
end

function M.complete_event(arglead)
  local out = {}
  local target = target_at_cursor()
  if target then
    for _, f in ipairs(event_files(target)) do
      local rel = vim.fn.fnamemodify(f, ':.')
      if vim.startswith(rel, arglead) then
        table.insert(out, rel)
      end
    end
  end
  vim.list_extend(out, M.complete_event_type(arglead))
  if #out == 0 then
    out = vim.fn.getcompletion(arglead, 'file')
  end
  return out
end

function M.complete_event_type(arglead)
  local out = {}
  for _, e in ipairs(M.sample_events()) do
    if vim.startswith(e.type, arglead) then
      table.insert(out, e.type)
    end
  end
  return out
end

local function open_scratch(name, lines, filetype)
  vim.cmd('new')
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  pcall(vim.api.nvim_buf_set_name, buf, name)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].filetype = filetype
  return buf
end

--- `:LambdaEvents [type]`: the list of sample events, or one of them in a JSON buffer to edit and save.
function M.events_command(arg)
  arg = vim.trim(arg or '')
  local bin = M.binary()
  if arg == '' then
    local events = M.sample_events()
    if #events == 0 then
      vim.notify(('lambda-ls: `%s events list` gave no events'):format(bin), vim.log.levels.WARN)
      return
    end
    vim.ui.select(events, {
      prompt = 'Sample events',
      format_item = function(e)
        return e.type .. (e.description ~= '' and ('  — ' .. e.description) or '')
      end,
    }, function(e)
      if e then
        M.events_command(e.type)
      end
    end)
    return
  end
  local obj = vim.system({ bin, 'events', 'show', arg }, { text = true }):wait(15000)
  if obj.code ~= 0 then
    vim.notify(('lambda-ls events show %s: %s'):format(arg, vim.trim(obj.stderr or '')), vim.log.levels.ERROR)
    return
  end
  return open_scratch('lambda-ls://events/' .. arg .. '.json', vim.split(obj.stdout, '\n', { trimempty = true }), 'json')
end

return M
