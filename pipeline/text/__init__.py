"""Pure text helpers shared by several stages (no stage imports another stage)."""
