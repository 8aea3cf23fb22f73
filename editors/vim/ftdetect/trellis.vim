" .trellis files are PostgreSQL schemas for trellisc.
autocmd BufRead,BufNewFile *.trellis setfiletype trellis
