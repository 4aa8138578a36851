from smtpcodes.cli import main

main()
