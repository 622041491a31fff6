def bulletin_page(r): pass
generate=edit=publish=diff=download=bulletin_page
