from tilflytting.cli import main

main()
