" Vim syntax file
" Language:   Trellis (.trellis PostgreSQL schemas, compiled by trellisc)
" Follows:    grammar/trellis.pest, the single source of the syntax.
"             tests/editors.rs checks that every keyword of that grammar is
"             spelt out in this file (outside comments).

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" Keywords are case-insensitive, as in PostgreSQL.
syn case ignore
syn iskeyword @,48-57,_,192-255,$
" Declarations span many lines: always parse from the top (files are small).
syn sync fromstart

" ---------------------------------------------------------------- patterns

" A name: "quoted" (a "" inside is one quote) or bare (letters, digits, _, $).
let s:ident = '\%("\%([^"]\|""\)*"\|\%(\h\|[^\x00-\x7f]\)\%(\w\|[$]\|[^\x00-\x7f]\)*\)'
let s:qname = s:ident . '\%(\.' . s:ident . '\)\='
let s:string = "'\\%([^']\\|''\\)*'"

" A type: multi-word types first, then any [schema.]name; modifiers such as
" (12,2) and array suffixes ([] or `array`) follow.
let s:field = '\%(year\|month\|day\|hour\|minute\|second\)\>'
let s:type = '\%(double\s\+precision\>'
      \ . '\|\%(character\|char\|bit\)\s\+varying\>'
      \ . '\|\%(timestamp\|time\)\>\%(\s*(\s*\d\+\s*)\)\=\%(\s\+\%(with\|without\)\s\+time\s\+zone\>\)\='
      \ . '\|interval\>\%(\s\+' . s:field . '\%(\s\+to\s\+' . s:field . '\)\=\)\='
      \ . '\|' . s:qname . '\)'
      \ . '\%(\s*([^()]*)\)\='
      \ . '\%(\s*\[\s*\d*\s*\]\|\s\+array\>\%(\s*\[\s*\d\+\s*\]\)\=\)*'

" What starts a table item (or continues one) rather than a column.
let s:item_start = '\%(trigger\s\+' . s:ident . '\s\+\%(was\|before\|after\|instead\)\>'
      \ . '\|policy\_s\+' . s:ident . '\_s\+\%(was\|as\|for\|to\|using\|with\)\>\|row\s\+level\s\+security\>'
      \ . '\|constraint\>\|primary\s\+key\>\|foreign\s\+key\>\|check\s*('
      \ . '\|exclude\>\|replica\s\+identity\>\|unique\s*\%((\|nulls\>\|index\>\)'
      \ . '\|index\s*\%((\|using\>\|' . s:ident . '\s*\%((\|using\>\|nulls\>\)\)'
      \ . '\|on\s\+\%(delete\|update\)\>\|references\>\|deferrable\>'
      \ . '\|not\s\+\%(deferrable\|valid\)\>\|initially\s\+\%(deferred\|immediate\)\>'
      \ . '\|match\s\+\%(full\|simple\|partial\)\>\|include\s*(\|where\s*(\|with\s*('
      \ . '\|no\s\+inherit\>\|nulls\s\+\%(not\s\+\)\=distinct\>\|using\s\+' . s:ident . '\s*(\)'

" ---------------------------------------------------------------- comments, literals

syn keyword trellisTodo contained TODO FIXME XXX NOTE
syn match trellisComment "//.*$" contains=trellisTodo,@Spell
" `///` (but not `////`) is a doc comment: it becomes COMMENT ON.
syn match trellisDocComment "///\%(/\)\@!.*$" contains=trellisTodo,@Spell

syn region trellisString matchgroup=trellisString start=+'+ skip=+''+ end=+'+ contains=trellisEscape
syn match trellisEscape +''+ contained
syn region trellisQuotedName start=+"+ skip=+""+ end=+"+ oneline
syn match trellisNumber "\<\d\+\%(\.\d*\)\=\%(e[-+]\=\d\+\)\=\>"
syn match trellisNumber "\%(\w\)\@<!-\d\+\>"

" ---------------------------------------------------------------- declarations

syn keyword trellisDeclaration extension collation enum sequence table nextgroup=trellisDeclName skipwhite skipnl
syn keyword trellisStorageClass unlogged
syn keyword trellisTopKeyword version
" Grants, revokes and default privileges: one line each.
syn keyword trellisGrant grant revoke privileges role routine functions routines schemas sequences tables types
exe 'syn match trellisDeclName contained #' . s:qname . '\|' . s:string . '#'
" `schema NAME` declares a schema at the start of a line; elsewhere `schema`
" is the clause of an extension (`extension pg_trgm schema public`). Matches,
" not keywords, so that the later one wins at the start of a line.
syn match trellisTopKeyword "\<schema\>"
syn match trellisDeclaration "^schema\>" nextgroup=trellisDeclName skipwhite

" `was OLD`: a rename hint, on a declaration, column, item or enum label.
syn keyword trellisWas was nextgroup=trellisOldName skipwhite
exe 'syn match trellisOldName contained #' . s:qname . '\|' . s:string . '#'

syn match trellisTopKeyword "\<as\s\+check\>"

" ---------------------------------------------------------------- enums

syn region trellisEnumBody matchgroup=trellisDelimiter start="\%(\<enum\>[^{]*\)\@<={" end="}" fold
      \ contains=trellisComment,trellisDocComment,trellisString,trellisWas

" ---------------------------------------------------------------- sequences

syn cluster trellisSequenceOptions contains=trellisComment,trellisDocComment,trellisNumber,trellisSequenceKeyword,trellisTypeAs,trellisSequenceName,trellisOwnedBy
syn keyword trellisSequenceKeyword contained increment by minvalue maxvalue no start with cache cycle
" `as TYPE` of a sequence or a domain.
syn keyword trellisTypeAs contained as nextgroup=trellisType skipwhite
syn match trellisSequenceName contained "\<sequence\s\+name\>" nextgroup=trellisDeclName skipwhite
syn match trellisOwnedBy contained "\<owned\s\+by\>\%(\s\+none\>\)\="
syn region trellisSequenceBody matchgroup=trellisDelimiter start="\%(\<sequence\>[^{]*\)\@<={" end="}" fold
      \ contains=@trellisSequenceOptions,trellisWas

" ---------------------------------------------------------------- domains

" `domain NAME [as] TYPE ...`: one line, written as a column is, and coloured
" as one: its name, then its type, then the column's attributes (`not null`,
" `default`, `check (...)`, `collate`) with the items of a table body. A
" check's parentheses may run on to the next lines; the line they close on
" ends the domain.
syn region trellisDomain matchgroup=trellisDeclaration start="\<domain\>" end="$"
      \ contains=trellisDomainName,@trellisTableItems
exe 'syn match trellisDomainName contained #\%(\<domain\s\+\)\@<=' . s:qname . '# nextgroup=trellisTypeAs,trellisType skipwhite'

" ---------------------------------------------------------------- composite and range types

" `type NAME [was OLD] as (ATTRIBUTE TYPE [collate C] [was OLD], ...)`: the
" attributes are coloured as columns are, one per line or all on one line.
" `type NAME as range (subtype = TYPE, OPTION = NAME, ...)`: each option's
" value is a type or a function's name.
syn match trellisDeclaration "^type\>" nextgroup=trellisDeclName skipwhite
syn match trellisTopKeyword "\<as\s\+range\>"
syn match trellisTopKeyword "\%(^type\>.*\)\@<=\<as\ze\s*("
syn region trellisTypeBody matchgroup=trellisDelimiter start="\%(^type\>.*\<as\s*\)\@<=(" end=")" fold
      \ contains=trellisComment,trellisDocComment,trellisTypeAttribute,trellisWas,trellisTypeCollate,trellisQuotedName
exe 'syn match trellisTypeAttribute contained #\%(\%(^\|[(,]\)\s*\)\@<=' . s:ident . '# nextgroup=trellisType skipwhite'
syn keyword trellisTypeCollate contained collate
syn region trellisRangeBody matchgroup=trellisDelimiter start="\%(^type\>.*\<as\s\+range\s*\)\@<=(" end=")"
      \ contains=trellisComment,trellisRangeOption
syn match trellisRangeOption contained "\%(\h\|[^\x00-\x7f]\)\%(\w\|[^\x00-\x7f]\)*\ze\s*=" nextgroup=trellisRangeEquals skipwhite
syn match trellisRangeEquals contained "=" nextgroup=trellisType skipwhite

" ---------------------------------------------------------------- tables

syn region trellisTableBody matchgroup=trellisDelimiter start="\%(\<table\>[^{]*\)\@<={" end="}" fold
      \ contains=@trellisTableItems

" The header after a table's name: `partition of PARENT BOUND`, BOUND being
" `for values from (...) to (...)`, `for values in (...)`, `for values with
" (modulus M, remainder R)` or `default` (a partition may have no body);
" `partition by range|list|hash (KEY, ...)`; `inherits (PARENT, ...)`. Each
" part leads to the next (on the next line too); the bounds and the key are
" SQL in parentheses, as a check's expression is (`minvalue`, `maxvalue`,
" `modulus` and `remainder` are keywords in a bound).
syn match trellisPartition "\<partition\_s\+of\>" nextgroup=trellisPartitionParent skipwhite skipnl
syn match trellisPartition "\<partition\_s\+by\_s\+\%(range\|list\|hash\)\>" nextgroup=trellisParens skipwhite skipnl
exe 'syn match trellisPartitionParent contained #' . s:qname . '# nextgroup=trellisPartitionBound skipwhite skipnl'
syn keyword trellisPartitionBound contained default
syn match trellisPartitionBound contained "\<for\_s\+values\>" nextgroup=trellisBound skipwhite skipnl
syn keyword trellisBound contained from in with nextgroup=trellisBoundValues skipwhite skipnl
syn region trellisBoundValues contained matchgroup=trellisDelimiter start="(" end=")" contains=@trellisExpression,trellisBoundWord
      \ nextgroup=trellisBoundTo skipwhite skipnl
syn keyword trellisBoundTo contained to nextgroup=trellisBoundValues skipwhite skipnl
syn keyword trellisBoundWord contained minvalue maxvalue modulus remainder
syn keyword trellisInherits inherits nextgroup=trellisInheritsList skipwhite skipnl
syn region trellisInheritsList contained matchgroup=trellisDelimiter start="(" end=")" contains=trellisComment,trellisTableName
" `using METHOD` (the table's access method) and `tablespace NAME`.
syn keyword trellisTableStorage using tablespace nextgroup=trellisStorageName skipwhite skipnl
exe 'syn match trellisStorageName contained #' . s:ident . '#'

syn cluster trellisTableItems contains=trellisComment,trellisDocComment,trellisString,trellisQuotedName,trellisNumber,
      \trellisColumnIndent,trellisKeyword,trellisItemKeyword,trellisReferences,trellisUsing,trellisWas,trellisColumnSetting,
      \trellisParens,trellisIdentityOptions,trellisParameters,trellisFunction,trellisOperator,trellisCast,
      \trellisNiladic,trellisTypedLiteral,trellisAtTimeZone,trellisBoolean,trellisDollarString,trellisTrigger,trellisExecute,
      \trellisRowSecurity,trellisPolicy

" A column line: its name, then its type. The name wins over keywords
" (a column may be called `name`, `action` or `key`), an item does not.
exe 'syn match trellisColumnIndent contained #^\s\+\ze\%(' . s:item_start . '\)\@!' . s:ident . '\s# nextgroup=trellisColumn'
exe 'syn match trellisColumn contained #' . s:ident . '# nextgroup=trellisType skipwhite'
exe 'syn match trellisType contained #' . s:type . '#'

syn keyword trellisKeyword contained not null default primary key unique check generated always by as identity stored virtual
      \ collate foreign exclude include where replica full nothing nulls distinct deferrable initially
      \ deferred immediate match simple partial on delete update cascade restrict no action set valid inherit
syn keyword trellisItemKeyword contained constraint index nextgroup=trellisItemName skipwhite
exe 'syn match trellisItemName contained #\%(\%(using\|nulls\)\>\|trigger\s\+' . s:ident . '\s\+\%(was\|before\|after\|instead\)\>\)\@!' . s:ident . '#'
syn keyword trellisReferences contained references nextgroup=trellisTableName skipwhite
exe 'syn match trellisTableName contained #' . s:qname . '#'
syn keyword trellisUsing contained using nextgroup=trellisMethod skipwhite
exe 'syn match trellisMethod contained #\%(index\>\)\@!' . s:ident . '#'

" A column's settings: `statistics N`, `storage KIND`, `compression METHOD`
" and `with (OPTION = V, ...)` (the latter coloured as trellisParameters).
syn keyword trellisColumnSetting contained statistics nextgroup=trellisStatistics skipwhite
syn match trellisStatistics contained "-\=\d\+\>"
syn keyword trellisColumnSetting contained storage nextgroup=trellisStorageKind skipwhite
syn keyword trellisStorageKind contained plain external extended main
syn keyword trellisColumnSetting contained compression nextgroup=trellisCompression skipwhite
syn match trellisCompression contained "\%(\h\|[^\x00-\x7f]\)\%(\w\|[$]\|[^\x00-\x7f]\)*"

" `[constraint] trigger NAME [was OLD] {before|after|instead of} EVENT [or
" EVENT ...] ... execute function F(ARGS)`: the region runs up to `execute`,
" which is coloured with the table's items (F as a function call).
exe 'syn region trellisTrigger contained matchgroup=trellisItemKeyword start=#\<trigger\>\ze\_s\+' . s:ident
      \ . '\_s\+\%(was\|before\|after\|instead\)\># end=#\ze\%(\<execute\>\|}\)#'
      \ . ' contains=trellisTriggerName,trellisComment,trellisSqlComment,trellisString,trellisNumber,trellisWas,'
      \ . 'trellisTriggerKeyword,trellisTriggerFrom,trellisTriggerColumn,trellisTransitionName,trellisParens'
exe 'syn match trellisTriggerName contained #\%(\<trigger\_s\+\)\@<=' . s:ident . '#'
syn keyword trellisTriggerKeyword contained before after instead of insert update delete truncate or
      \ deferrable not initially deferred immediate referencing old new table as for each row statement when
syn keyword trellisTriggerFrom contained from nextgroup=trellisTableName skipwhite skipnl
" The columns of `update of a, b`.
exe 'syn match trellisTriggerColumn contained #\%(\<of\_s\+\|,\s*\)\@<=' . s:ident . '#'
exe 'syn match trellisTransitionName contained #\%(\<table\_s\+\%(as\_s\+\)\=\)\@<=\%(as\>\)\@!' . s:ident . '#'
syn keyword trellisExecute contained execute nextgroup=trellisExecuteKind skipwhite skipnl
syn keyword trellisExecuteKind contained function procedure nextgroup=trellisFunction skipwhite skipnl

" `row level security [force]`.
syn match trellisRowSecurity contained "\<row\s\+level\s\+security\>\%(\s\+force\>\)\="

" `policy NAME [was OLD] [as permissive|restrictive] [for COMMAND] [to ROLE,
" ...] [using (EXPR)] [with check (EXPR)]`: the clauses may go on on the next
" lines (the name too). The region ends at a line that starts with none of
" them (nor with a comma, a comment or nothing), or at a comma after `(...)`.
let s:policy_clause = '\%(was\|as\s\+\%(permissive\|restrictive\)\|for\s\+\%(all\|select\|insert\|update\|delete\)'
      \ . '\|to\|using\|with\s\+check\)\>'
exe 'syn region trellisPolicy contained matchgroup=trellisItemKeyword start=#\<policy\>\ze\_s\+' . s:ident
      \ . '\_s\+\%(was\|as\|for\|to\|using\|with\)\># end=#\ze}# end=#)\@<=\ze\s*,#'
      \ . ' end=#\%(\<policy\s*\n\)\@<!\_^\%(\s*\%(' . s:policy_clause . '\|,\|//\|$\)\)\@!#'
      \ . ' contains=trellisPolicyName,trellisComment,trellisDocComment,trellisQuotedName,trellisWas,'
      \ . 'trellisPolicyKeyword,trellisPolicyRole,trellisPolicyMore,trellisParens'
exe 'syn match trellisPolicyName contained #\%(\<policy\_s\+\)\@<=' . s:ident . '#'
syn keyword trellisPolicyKeyword contained as permissive restrictive for all select insert update delete to using with check
" The roles of `to a, b`; after a comma at the end of a line, the next role
" is on a later line.
exe 'syn match trellisPolicyRole contained #\%(\<to\_s\+\|,\s*\)\@<=' . s:ident . '#'
exe 'syn region trellisPolicyMore contained start=#,\ze\s*\%(//.*\)\=$# matchgroup=trellisPolicyRole end=#' . s:ident . '#'
      \ . ' contains=trellisComment,trellisDocComment'

" ---------------------------------------------------------------- expressions (SQL)

syn cluster trellisExpression contains=trellisDollarString,trellisFunction,trellisOperator,trellisCast,trellisConstant,trellisBoolean,trellisSqlWord,
      \trellisNiladic,trellisTypedLiteral,trellisAtTimeZone,trellisComment,trellisString,trellisQuotedName,trellisNumber,trellisParens

" Check, where, generated and index expressions, column lists, element lists.
syn region trellisParens contained matchgroup=trellisDelimiter start="(" end=")" contains=@trellisExpression,trellisElementWord
" Sequence options of an identity column: generated always as identity (...).
syn region trellisIdentityOptions contained matchgroup=trellisDelimiter start="\%(\<identity\s*\)\@<=(" end=")" contains=@trellisSequenceOptions

exe 'syn match trellisFunction contained #' . s:qname . '\ze\s*(#'
syn match trellisOperator contained "\%([-+*<>=~!@#%^&|?]\|/\%(/\)\@!\)\+"
syn match trellisCast contained "::" nextgroup=trellisType skipwhite
syn keyword trellisConstant contained null unknown
syn keyword trellisBoolean contained true false
syn keyword trellisSqlWord contained and or not is in between symmetric like ilike escape distinct from
      \ isnull notnull overlaps any all some exists case when then else end collate for cast array
syn keyword trellisNiladic contained current_date current_time current_timestamp localtime localtimestamp
      \ current_user current_role current_schema current_catalog session_user
" A typed literal: interval '30 days', date '2024-01-01'.
syn match trellisTypedLiteral contained "\<\%(interval\|date\|time\|timetz\|timestamp\|timestamptz\)\ze\s*'"
syn match trellisSqlWord contained "\<similar\s\+to\>"
syn match trellisAtTimeZone contained "\<at\s\+time\s\+zone\>"
" In index and exclusion element lists.
syn keyword trellisElementWord contained asc desc nulls first last with operator

" with (fillfactor = 70): after a table's name, an index or an exclusion
" constraint. Defined after trellisFunction, so that `with (` is not a call.
syn region trellisParameters matchgroup=trellisDelimiter start="\<with\s*(" end=")" contains=@trellisExpression

" ---------------------------------------------------------------- functions and procedures

" Defined after the expressions, so that these win where both match
" (`--` is a comment, not an operator; a function's name is no call).

" A dollar quote, $$...$$ or $tag$...$tag$ (not inside a word: `a$b$`).
syn region trellisDollarString contained start=+\%(\w\|[$]\|[^\x00-\x7f]\)\@<![$]\z(\%(\%(\h\|[^\x00-\x7f]\)\%(\w\|[^\x00-\x7f]\)*\)\=\)[$]+ end=+[$]\z1[$]+
" SQL's comments, in function bodies and trigger items: -- and nested /* */.
syn match trellisSqlComment contained "--.*$" contains=trellisTodo,@Spell
syn region trellisSqlComment contained start="/\*" end="\*/" contains=trellisSqlComment,trellisTodo,@Spell

" `function NAME(ARGS) [was OLD] REST`: REST is PostgreSQL's CREATE FUNCTION
" text (return type, language, options, a dollar-quoted or SQL-standard
" body), up to a line that starts with a declaration's keyword or a `///`
" doc comment. Quotes, comments and parentheses inside are taken whole.
syn region trellisRoutine matchgroup=trellisDeclaration start="\<\%(function\|procedure\)\>"
      \ end="\ze\n\s*\%(///\%(/\)\@!\|\%(schema\|extension\|collation\|enum\|domain\|sequence\|table\|unlogged\|function\|procedure\|view\|materialized\|aggregate\|trigger\|index\|unique\s\+index\)\>\)"
      \ contains=trellisRoutineName,trellisComment,trellisSqlComment,trellisWas,trellisReturns,trellisLanguage,
      \trellisRoutineKeyword,trellisRoutineControl,trellisSqlKeyword,@trellisExpression
exe 'syn match trellisRoutineName contained #\%(\<\%(function\|procedure\)\s\+\)\@<=' . s:qname . '# nextgroup=trellisRoutineArgs skipwhite'

" The arguments: [in|out|inout|variadic] [NAME] TYPE [default EXPR | = EXPR].
syn region trellisRoutineArgs contained matchgroup=trellisDelimiter start="(" end=")"
      \ contains=trellisComment,trellisSqlComment,trellisArgMode,trellisArgType,trellisArgName,trellisArgDefault,trellisArgTypeOf
let s:arg_start = '\%(\%(^\|[(,]\)\s*\%(\%(in\|out\|inout\|variadic\)\s\+\)\=\)\@<='
syn keyword trellisArgMode contained in out inout variadic
exe 'syn match trellisArgType contained #' . s:arg_start . s:type . '#'
exe 'syn match trellisArgName contained #' . s:arg_start
      \ . '\%(\%(double\s\+precision\|\%(character\|char\|bit\)\s\+varying\|\%(timestamp\|time\)\s\+with\%(out\)\='
      \ . '\|interval\s\+' . s:field . '\|in\|out\|inout\|variadic\|default\)\>\)\@!'
      \ . s:ident . '\ze\s\+[^,)=[:space:]]# nextgroup=trellisType skipwhite'
syn match trellisArgTypeOf contained "%\%(row\)\=type\>"
syn region trellisArgDefault contained matchgroup=trellisKeyword start="\<default\>\|=" end="\ze[,)]" contains=@trellisExpression

" returns [setof] TYPE | returns table (COLUMNS); `returns null on null input`.
syn keyword trellisReturns contained returns nextgroup=trellisSetof,trellisReturnsTable,trellisReturnType skipwhite skipnl
syn keyword trellisSetof contained setof nextgroup=trellisReturnType skipwhite skipnl
syn keyword trellisReturnsTable contained table nextgroup=trellisRoutineArgs skipwhite skipnl
exe 'syn match trellisReturnType contained #\%(\%(null\|language\|table\|setof\)\>\)\@!' . s:type . '#'
syn keyword trellisLanguage contained language nextgroup=trellisLanguageName skipwhite skipnl
exe 'syn match trellisLanguageName contained #' . s:ident . '\|' . s:string . '#'
syn keyword trellisRoutineKeyword contained immutable stable volatile strict called input security definer invoker
      \ external leakproof parallel safe unsafe restricted cost rows support window transform type set to current on as
syn keyword trellisRoutineControl contained begin atomic return
syn keyword trellisSqlKeyword contained select insert into update delete values returning where group order by having
      \ limit offset join left right inner outer full cross natural using with recursive union intersect except
      \ default conflict do nothing

" ---------------------------------------------------------------- views

" `[materialized] view NAME [was OLD] [(COL, ...)] [with (OPTION = V, ...)]
" { QUERY } [with [cascaded | local] check option]`. The words before the
" brace are a region (not keywords, which would win over its start); the
" query is SQL up to the brace that closes it, quotes, comments, dollar
" quotes and parentheses taken whole.
syn region trellisViewHead matchgroup=trellisDeclaration start="\<\%(materialized\_s\+\)\=view\>"
      \ end="\ze{" end="\ze\n\s*\%(///\%(/\)\@!\|\%(schema\|extension\|collation\|enum\|domain\|sequence\|table\|unlogged\|function\|procedure\|view\|materialized\|aggregate\|trigger\|index\|unique\s\+index\)\>\)"
      \ contains=trellisViewName,trellisWas,trellisComment,trellisViewColumns,trellisParameters
      \ nextgroup=trellisViewBody skipwhite skipnl
exe 'syn match trellisViewName contained #\%(\<view\_s\+\)\@<=\%(' . s:qname . '\|' . s:string . '\)#'
syn region trellisViewColumns contained matchgroup=trellisDelimiter start="(" end=")" contains=trellisComment,trellisViewColumn
exe 'syn match trellisViewColumn contained #' . s:ident . '#'

syn region trellisViewBody contained matchgroup=trellisDelimiter start="{" end="}" fold
      \ contains=@trellisViewQuery nextgroup=trellisViewCheckOption skipwhite skipnl
" The expressions' items, with the SQL words of a query, and parentheses
" (subqueries) that hold the same.
syn cluster trellisViewQuery contains=trellisSqlComment,trellisSqlKeyword,trellisViewKeyword,trellisViewParens,
      \trellisDollarString,trellisFunction,trellisOperator,trellisCast,trellisConstant,trellisBoolean,trellisSqlWord,
      \trellisNiladic,trellisTypedLiteral,trellisAtTimeZone,trellisComment,trellisString,trellisQuotedName,trellisNumber
syn region trellisViewParens contained matchgroup=trellisDelimiter start="(" end=")" contains=@trellisViewQuery
syn keyword trellisViewKeyword contained as on over partition window filter within lateral only asc desc nulls
      \ first last fetch next rows row range groups ties preceding following unbounded current exclude others
      \ grouping sets cube rollup ordinality materialized
syn match trellisViewCheckOption contained "\<with\_s\+\%(\%(cascaded\|local\)\_s\+\)\=check\_s\+option\>"

" `[unique] index NAME on VIEW REST [was OLD]`, on one line: an index on a
" materialized view. REST is CREATE INDEX's text after `ON VIEW` (using,
" the elements, include, with, where).
syn region trellisViewIndex matchgroup=trellisDeclaration start="\<\%(unique\s\+\)\=index\>" end="$"
      \ contains=trellisViewIndexName,trellisSqlComment,trellisWas,trellisUsing,trellisViewIndexKeyword,
      \trellisParameters,@trellisExpression
exe 'syn match trellisViewIndexName contained #\%(\<index\s\+\)\@<=' . s:ident . '# nextgroup=trellisViewIndexOn skipwhite'
syn keyword trellisViewIndexOn contained on nextgroup=trellisViewIndexTarget skipwhite
exe 'syn match trellisViewIndexTarget contained #' . s:qname . '#'
syn keyword trellisViewIndexKeyword contained include where nulls only tablespace asc desc first last

" ---------------------------------------------------------------- colours

hi def link trellisComment         Comment
hi def link trellisDocComment      SpecialComment
hi def link trellisTodo            Todo
hi def link trellisString          String
hi def link trellisDollarString    String
hi def link trellisSqlComment      Comment
hi def link trellisEscape          SpecialChar
hi def link trellisQuotedName      Identifier
hi def link trellisNumber          Number
hi def link trellisDeclaration     Keyword
hi def link trellisStorageClass    StorageClass
hi def link trellisKeyword         Keyword
hi def link trellisTopKeyword      Keyword
hi def link trellisGrant Keyword
hi def link trellisItemKeyword     Keyword
hi def link trellisReferences      Keyword
hi def link trellisUsing           Keyword
hi def link trellisSequenceKeyword Keyword
hi def link trellisTypeAs          Keyword
hi def link trellisSequenceName    Keyword
hi def link trellisOwnedBy         Keyword
hi def link trellisElementWord     Keyword
hi def link trellisSqlWord         Keyword
hi def link trellisAtTimeZone      Keyword
hi def link trellisReturns         Keyword
hi def link trellisSetof           Keyword
hi def link trellisReturnsTable    Keyword
hi def link trellisLanguage        Keyword
hi def link trellisRoutineKeyword  Keyword
hi def link trellisRoutineControl  Keyword
hi def link trellisSqlKeyword      Keyword
hi def link trellisArgMode         StorageClass
hi def link trellisTriggerKeyword  Keyword
hi def link trellisTriggerFrom     Keyword
hi def link trellisExecute         Keyword
hi def link trellisExecuteKind     Keyword
hi def link trellisRowSecurity     Keyword
hi def link trellisPolicyKeyword   Keyword
hi def link trellisPartition       Keyword
hi def link trellisPartitionBound  Keyword
hi def link trellisBound           Keyword
hi def link trellisBoundTo         Keyword
hi def link trellisBoundWord       Keyword
hi def link trellisInherits        Keyword
hi def link trellisTableStorage    Keyword
hi def link trellisStorageName    Special
hi def link trellisDeclName        Function
hi def link trellisViewName        trellisDeclName
hi def link trellisViewColumn      Identifier
hi def link trellisViewKeyword     Keyword
hi def link trellisViewCheckOption Keyword
hi def link trellisViewIndexName   Function
hi def link trellisViewIndexOn     Keyword
hi def link trellisViewIndexTarget Function
hi def link trellisViewIndexKeyword Keyword
hi def link trellisDomainName      trellisDeclName
hi def link trellisTypeAttribute   Identifier
hi def link trellisTypeCollate     Keyword
hi def link trellisRangeOption     Keyword
hi def link trellisRangeEquals     Operator
hi def link trellisRoutineName     trellisDeclName
hi def link trellisTriggerName     Function
hi def link trellisPolicyName      Function
hi def link trellisLanguageName    Special
hi def link trellisItemName        Function
hi def link trellisTableName       Function
hi def link trellisPartitionParent trellisTableName
hi def link trellisMethod          Special
hi def link trellisColumnSetting   Keyword
hi def link trellisStatistics      trellisNumber
hi def link trellisStorageKind     Special
hi def link trellisCompression     Special
hi def link trellisColumn          Identifier
hi def link trellisType            Type
hi def link trellisArgType         Type
hi def link trellisReturnType      Type
hi def link trellisArgTypeOf       Type
hi def link trellisArgName         Identifier
hi def link trellisTriggerColumn   Identifier
hi def link trellisTransitionName  Identifier
hi def link trellisPolicyRole      Identifier
hi def link trellisWas             PreProc
hi def link trellisOldName         Special
hi def link trellisFunction        Function
hi def link trellisNiladic         Function
hi def link trellisTypedLiteral    Type
hi def link trellisOperator        Operator
hi def link trellisCast            Operator
hi def link trellisConstant        Constant
hi def link trellisBoolean         Boolean
hi def link trellisDelimiter       Delimiter

let b:current_syntax = 'trellis'

let &cpo = s:cpo_save
unlet s:cpo_save
