-- Commands and autocommands of the lambda-ls plugin. The language server itself is configured in
-- lsp/lambda_ls.lua and enabled by the user with `vim.lsp.enable('lambda_ls')`.
if vim.g.loaded_lambda_ls then
  return
end
vim.g.loaded_lambda_ls = true

vim.api.nvim_create_user_command('LambdaInvoke', function(opts)
  require('lambda_ls').invoke_command(opts.args)
end, {
  nargs = '?',
  complete = function(arglead)
    return require('lambda_ls').complete_event(arglead)
  end,
  desc = 'Invoke the Lambda function at the cursor [with an event file, a sample event type or JSON]',
})

vim.api.nvim_create_user_command('LambdaEvents', function(opts)
  require('lambda_ls').events_command(opts.args)
end, {
  nargs = '?',
  complete = function(arglead)
    return require('lambda_ls').complete_event_type(arglead)
  end,
  desc = 'List sample Lambda events, or open one',
})

vim.api.nvim_create_autocmd('LspAttach', {
  group = vim.api.nvim_create_augroup('lambda_ls_attach', { clear = true }),
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if client and client.name == 'lambda_ls' then
      require('lambda_ls').on_attach(client, args.buf)
    end
  end,
})

-- Code lens commands run here, so invoke gets its log buffer and result window.
vim.lsp.commands['lambda-ls.invoke'] = function(command, ctx)
  require('lambda_ls').invoke_lens(command, ctx, false)
end
vim.lsp.commands['lambda-ls.invokeWithEvent'] = function(command, ctx)
  require('lambda_ls').invoke_lens(command, ctx, true)
end
