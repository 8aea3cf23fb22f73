" Vim filetype plugin for .trellis files (PostgreSQL schemas for trellisc).
" The layout is the one `trellisc fmt` writes: two spaces per level.

if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

" `//` comments; `///` doc comments (COMMENT ON) continue as doc comments.
setlocal commentstring=//\ %s
setlocal comments=:///,://
setlocal formatoptions-=t formatoptions+=croql

setlocal expandtab shiftwidth=2 softtabstop=2
" One level more after a line that ends with `{` or `(`, one less at `}` or `)`.
setlocal autoindent indentexpr=GetTrellisIndent() indentkeys=0},0),!^F,o,O

setlocal suffixesadd=.trellis

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< expandtab< shiftwidth<'
      \ . ' softtabstop< autoindent< indentexpr< indentkeys< suffixesadd<'

if !exists('*GetTrellisIndent')
  function GetTrellisIndent() abort
    let previous = prevnonblank(v:lnum - 1)
    if previous == 0
      return 0
    endif
    " Inside a routine's dollar-quoted body, lines keep their own indent.
    let quotes = 0
    for text in getline(1, v:lnum - 1)
      let quotes += len(split(text, '\$\$', 1)) - 1
    endfor
    if quotes % 2 == 1
      return indent(v:lnum)
    endif
    " What the previous line ends with, before a trailing comment.
    let code = substitute(getline(previous), '\s*//.*$', '', '')
    let indent = indent(previous)
    if code =~# '[{(]\s*$'
      let indent += shiftwidth()
    endif
    if getline(v:lnum) =~# '^\s*[})]'
      let indent -= shiftwidth()
    endif
    return max([indent, 0])
  endfunction
endif

let &cpo = s:cpo_save
unlet s:cpo_save
