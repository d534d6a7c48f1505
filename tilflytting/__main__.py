from tilflytting.entry import main

main()
