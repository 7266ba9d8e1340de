-- Neovim's own LSP client against `teikit lsp` (run by tests/lsp_neovim.rs, headless).
-- Opens letters/a.xml of the workspace copy, waits for the diagnostics, asks for completion in
-- a pointer (and, when the schema assistance is there, at an element position), edits the
-- buffer, and writes what it saw, one `key<TAB>value` line each, to $TEIKIT_OUT.
local bin = os.getenv("TEIKIT_BIN")
local ws = os.getenv("TEIKIT_WS")
local out_path = os.getenv("TEIKIT_OUT")
local lines = {}
local function say(k, v) table.insert(lines, k .. "\t" .. tostring(v)) end
local function finish()
  local f = io.open(out_path, "w")
  f:write(table.concat(lines, "\n") .. "\n")
  f:close()
  vim.cmd("qa!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. ws .. "/letters/a.xml")
  local buf = vim.api.nvim_get_current_buf()
  local config = { name = "teikit", cmd = { bin, "lsp" }, root_dir = ws }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client_id)
  end
  say("client", client_id ~= nil)

  vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    say("diagnostic", string.format("%s %d:%d", code, d.lnum, d.col))
  end

  local function complete(line, character)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = line, character = character },
    }
    local res = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 20000) or {}
    local labels = {}
    for _, r in pairs(res) do
      local items = r.result and (r.result.items or r.result) or {}
      for _, it in ipairs(items) do table.insert(labels, it.label) end
    end
    return labels
  end
  -- in @ref="#kamenv", after `#k`
  for _, l in ipairs(complete(21, 27)) do say("pointer", l) end
  -- an element position: inside <p> of the letter's body (line 30, after `<p xml:id="a-p1">`)
  vim.api.nvim_buf_set_text(buf, 30, 25, 30, 25, { "<" })
  for _, l in ipairs(complete(30, 26)) do say("element", l) end
  vim.api.nvim_buf_set_text(buf, 30, 25, 30, 26, { "" })

  -- fix the pointer in the buffer: the diagnostics follow the edit
  vim.api.nvim_buf_set_text(buf, 21, 31, 21, 31, { "e" })
  local cleared = vim.wait(30000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
  say("cleared", cleared)

  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 16, character = 28 } }
  local res = vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 20000) or {}
  for _, r in pairs(res) do
    local loc = r.result and (r.result.uri and r.result or r.result[1])
    if loc then say("definition", vim.uri_to_fname(loc.uri):sub(#ws + 2) .. " " .. loc.range.start.line) end
  end
end)
if not ok then say("error", err) end
finish()
