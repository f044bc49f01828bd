from auditor.process import run

run()
