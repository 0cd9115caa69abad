-- Invoke results as text: a summary, the REPORT line and the payload or error as indented JSON. Pure Lua,
-- tolerant of the result's shape (the REPORT line as text or as fields, logs as text or a list).
local M = {}

local function is_obj(v)
  return type(v) == 'table' and not vim.islist(v)
end

local function str(v)
  return type(v) == 'string' and v or nil
end

--- JSON with two-space indentation and sorted keys.
function M.json(v, indent)
  indent = indent or ''
  if v == nil or v == vim.NIL then
    return 'null'
  end
  local t = type(v)
  if t == 'string' or t == 'number' or t == 'boolean' then
    return vim.json.encode(v)
  end
  if t ~= 'table' then
    return 'null'
  end
  local inner = indent .. '  '
  if vim.islist(v) then
    if #v == 0 then
      return '[]'
    end
    local parts = {}
    for _, x in ipairs(v) do
      table.insert(parts, inner .. M.json(x, inner))
    end
    return '[\n' .. table.concat(parts, ',\n') .. '\n' .. indent .. ']'
  end
  local keys = vim.tbl_keys(v)
  if #keys == 0 then
    return '{}'
  end
  table.sort(keys, function(a, b)
    return tostring(a) < tostring(b)
  end)
  local parts = {}
  for _, k in ipairs(keys) do
    table.insert(parts, inner .. vim.json.encode(tostring(k)) .. ': ' .. M.json(v[k], inner))
  end
  return '{\n' .. table.concat(parts, ',\n') .. '\n' .. indent .. '}'
end

function M.log_line(params)
  if type(params) == 'string' then
    return params
  end
  if type(params) == 'table' then
    return str(params.line) or str(params.text) or str(params.message)
  end
end

function M.report_line(report, request_id, status)
  if type(report) == 'string' then
    local r = vim.trim(report)
    return r ~= '' and r or nil
  end
  if not is_obj(report) then
    return nil
  end
  if str(report.line) then
    return vim.trim(report.line)
  end
  local parts = {}
  local id = str(report.requestId) or str(report.request_id) or request_id
  if id then
    table.insert(parts, 'RequestId: ' .. id)
  end
  local function ms(key, label, fmt)
    if type(report[key]) == 'number' then
      table.insert(parts, ('%s: ' .. fmt .. ' ms'):format(label, report[key]))
    end
  end
  ms('durationMs', 'Duration', '%.2f')
  ms('billedDurationMs', 'Billed Duration', '%d')
  local mem = report.memorySizeMb or report.memorySize
  if type(mem) == 'number' then
    table.insert(parts, ('Memory Size: %d MB'):format(mem))
  end
  local used = report.maxMemoryUsedMb or report.maxMemoryUsed
  if type(used) == 'number' then
    table.insert(parts, ('Max Memory Used: %d MB'):format(used))
  end
  ms('initDurationMs', 'Init Duration', '%.2f')
  if status == 'timeout' then
    table.insert(parts, 'Status: timeout')
  elseif status == 'initError' or status == 'crash' then
    table.insert(parts, 'Status: error')
  end
  return #parts > 0 and ('REPORT ' .. table.concat(parts, '\t')) or nil
end

local function error_of(result)
  local e = result.error
  if is_obj(e) then
    if not str(e.errorType) and str(result.errorType) then
      e = vim.tbl_extend('force', {}, e, { errorType = result.errorType })
    end
    return e
  end
  if type(e) == 'string' then
    return { errorMessage = e, errorType = str(result.errorType) }
  end
  if str(result.errorMessage) or str(result.errorType) then
    return { errorMessage = result.errorMessage, errorType = result.errorType, stackTrace = result.stackTrace }
  end
end

local function logs_of(result)
  local logs = result.logs or result.log
  if type(logs) == 'string' then
    return vim.split(logs, '\n', { plain = true, trimempty = true })
  end
  if type(logs) == 'table' then
    local out = {}
    for _, l in ipairs(logs) do
      if type(l) == 'string' then
        table.insert(out, l)
      end
    end
    return out
  end
  return {}
end

--- `{ ok, summary, text, logs, report }` for a function's invoke result.
function M.result(name, result)
  if not is_obj(result) then
    return { ok = true, summary = name .. ' returned', text = ('// %s: returned\n%s\n'):format(name, M.json(result)), logs = {} }
  end
  local err = error_of(result)
  local ok = err == nil
  if type(result.ok) == 'boolean' then
    ok = result.ok
  elseif type(result.success) == 'boolean' then
    ok = result.success
  elseif str(result.status) then
    ok = result.status == 'success'
  end
  local logs = logs_of(result)
  -- The server's own REPORT line, when the logs carry it, is exactly what Lambda prints.
  local report
  for _, l in ipairs(logs) do
    if vim.startswith(l, 'REPORT ') then
      report = l
    end
  end
  report = report or M.report_line(result.report, str(result.requestId), str(result.status))
  local summary
  if ok then
    summary = name .. ' succeeded'
  else
    local et = err and str(err.errorType)
    local em = err and str(err.errorMessage)
    summary = name .. ' failed' .. (et and (' (' .. et .. ')') or '') .. (em and (': ' .. em) or '')
  end
  summary = vim.split(summary, '\n', { plain = true })[1]
  local header = { '// ' .. summary }
  if report then
    table.insert(header, '// ' .. report:gsub('\t', '  '))
  end
  if str(result.eventFrom) and result.eventFrom ~= '' then
    table.insert(header, '// event: ' .. result.eventFrom)
  end
  if type(result.warnings) == 'table' then
    for _, w in ipairs(result.warnings) do
      if type(w) == 'string' then
        table.insert(header, '// warning: ' .. w)
      end
    end
  end
  local body
  if ok then
    local payload = result.payload
    if payload == nil then
      payload = result.response
    end
    if payload == nil then
      payload = result.result
    end
    body = M.json(payload)
  else
    body = M.json(err or vim.empty_dict())
  end
  return {
    ok = ok,
    summary = summary,
    text = table.concat(header, '\n') .. '\n' .. body .. '\n',
    logs = logs,
    report = report,
  }
end

--- Sample event types from `lambda-ls events list` (JSON or text lines whose first word is the type).
function M.parse_event_list(stdout)
  local text = vim.trim(stdout or '')
  if text == '' then
    return {}
  end
  local ok, decoded = pcall(vim.json.decode, text)
  if ok and type(decoded) == 'table' then
    local list = vim.islist(decoded) and decoded or decoded.events
    if type(list) == 'table' then
      local out = {}
      for _, e in ipairs(list) do
        if type(e) == 'string' then
          table.insert(out, { type = e, description = '' })
        elseif type(e) == 'table' then
          local t = str(e.type) or str(e.name) or str(e.id)
          if t then
            table.insert(out, { type = t, description = str(e.description) or str(e.title) or '' })
          end
        end
      end
      return out
    end
  end
  local out = {}
  for _, raw in ipairs(vim.split(text, '\r?\n')) do
    local line = vim.trim(raw)
    -- A blank line ends the list (event files may follow); indented lines belong to another section.
    if line == '' and #out > 0 then
      break
    end
    if line ~= '' and line:sub(1, 1) ~= '#' and not raw:match('^%s') then
      local t, rest = line:match('^(%S+)%s*(.*)$')
      local header = #out == 0 and (t:lower():match('^types?$') or t:lower():match('^names?$') or t:lower():match('^events?$'))
      if t and not header then
        table.insert(out, { type = t, description = (rest:gsub('^[-–—:]%s*', '')) })
      end
    end
  end
  return out
end

return M
