-- Unit tests of the plugin's result rendering and event-list parsing, in headless Neovim:
-- `nvim --headless --clean --cmd 'set rtp^=editors/nvim' -l render_test.lua`.
local render = require('lambda_ls.render')
local counts = { pass = 0, fail = 0 }
local function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    counts.pass = counts.pass + 1
    io.stdout:write('ok - render: ' .. name .. '\n')
  else
    counts.fail = counts.fail + 1
    io.stdout:write('not ok - render: ' .. name .. '\n  ' .. tostring(err) .. '\n')
  end
end
local function eq(a, b)
  assert(vim.deep_equal(a, b), ('expected %s, got %s'):format(vim.inspect(b), vim.inspect(a)))
end

test('success: summary, REPORT from fields, payload as sorted JSON', function()
  local r = render.result('Hello', {
    requestId = 'c0ffee',
    status = 'success',
    logs = { 'START', 'hello' },
    report = { durationMs = 2.5, billedDurationMs = 3, memorySizeMb = 128, maxMemoryUsedMb = 41, initDurationMs = vim.NIL },
    payload = { name = 'Ada', greeting = 'Grüße', tags = { 'a', 1 }, empty = {} },
  })
  eq(r.ok, true)
  eq(r.logs, { 'START', 'hello' })
  eq(r.report, 'REPORT RequestId: c0ffee\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 41 MB')
  local body = r.text:gsub('^//[^\n]*\n//[^\n]*\n', '')
  eq(vim.json.decode(body), { name = 'Ada', greeting = 'Grüße', tags = { 'a', 1 }, empty = {} })
  assert(r.text:find('^// Hello succeeded\n// REPORT RequestId: c0ffee  Duration'), r.text)
  assert(body:find('\n  "greeting": "Grüße",\n  "name": "Ada"', 1, true), body)
end)

test('timeout: error object, type from the result, status in REPORT', function()
  local r = render.result('Slow', {
    requestId = 'r2',
    status = 'timeout',
    report = { durationMs = 1000, billedDurationMs = 1000, memorySizeMb = 128 },
    error = { errorMessage = 'Task timed out after 1.00 seconds' },
    errorType = 'Sandbox.Timedout',
  })
  eq(r.ok, false)
  eq(r.summary, 'Slow failed (Sandbox.Timedout): Task timed out after 1.00 seconds')
  assert(r.report:find('Status: timeout$'), r.report)
end)

test('REPORT given as a line; logs as text; null payload', function()
  local r = render.result('F', { report = 'REPORT RequestId: x\tDuration: 1 ms', logs = 'a\nb\n', payload = vim.NIL })
  eq(r.report, 'REPORT RequestId: x\tDuration: 1 ms')
  eq(r.logs, { 'a', 'b' })
  assert(r.text:find('\nnull\n$'), r.text)
end)

test('log notifications', function()
  eq(render.log_line({ line = 'x' }), 'x')
  eq(render.log_line('y'), 'y')
  eq(render.log_line({ n = 1 }), nil)
end)

test('event lists: the CLI table, JSON', function()
  local out = 'apigateway-rest   API Gateway REST proxy  [Api]\nsqs   SQS batch\n\nEvent files next to /app/template.yaml:\n  /app/events/a.json\n'
  eq(vim.tbl_map(function(e)
    return e.type
  end, render.parse_event_list(out)), { 'apigateway-rest', 'sqs' })
  eq(render.parse_event_list('["s3", {"name": "sqs", "description": "d"}]'), { { type = 's3', description = '' }, { type = 'sqs', description = 'd' } })
end)

test('event argument: file, JSON, or a sample type', function()
  local lambda_ls = require('lambda_ls')
  local f = vim.fn.tempname() .. '.json'
  vim.fn.writefile({ '{}' }, f)
  eq(lambda_ls.event_from_arg(f), { eventFile = vim.fn.fnamemodify(f, ':p') })
  eq(lambda_ls.event_from_arg('{"a": 1}'), { event = { a = 1 } })
  eq(lambda_ls.event_from_arg('sqs'), { eventType = 'sqs' })
  eq(lambda_ls.event_from_arg('  '), nil)
end)

io.stdout:write(('neovim-render: %d passed, %d failed\n'):format(counts.pass, counts.fail))
os.exit(counts.fail > 0 and 1 or 0)
