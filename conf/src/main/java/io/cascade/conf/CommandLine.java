package io.cascade.conf;

import java.util.List;

/**
 * Turns redis-server's argv into config text the way main() in server.c does: an optional config file first,
 * "-" for stdin, and "--name value ..." options that become lines appended after the file. Pure; startup thread.
 *
 * @param configFile the file named by the first argument, as given (null when none)
 * @param stdin      whether the config is also read from standard input
 * @param options    the option lines, in the one-char-per-byte form the parser works on
 */
record CommandLine(String configFile, boolean stdin, String options) {

    /** Parses full argv (without the program name): the first argument is the file unless it starts with '-'. */
    static CommandLine parse(List<String> argv) {
        if (!argv.isEmpty() && !argv.get(0).startsWith("-")) {
            CommandLine rest = parseOptions(argv.subList(1, argv.size()), true);
            return new CommandLine(argv.get(0), rest.stdin(), rest.options());
        }
        return parseOptions(argv, false);
    }

    /**
     * Parses the options that follow the (optional) file. "-" reads stdin when it is the very first argument of the
     * command line or the last one. After "--name", arguments up to the next "--" are its values (each quoted, so
     * spaces and quotes survive); "--save" or "--sentinel" with no value are special cases kept from 7.0.
     */
    static CommandLine parseOptions(List<String> args, boolean afterFile) {
        StringBuilder options = new StringBuilder();
        boolean stdin = false;
        boolean handledLastConfigArg = true;
        int argc = args.size();
        for (int j = 0; j < argc; j++) {
            String arg = args.get(j);
            boolean last = j == argc - 1;
            if (arg.equals("-") && ((j == 0 && !afterFile) || last)) {
                stdin = true;
            } else if (handledLastConfigArg && arg.startsWith("--")) {
                if (options.length() > 0) {
                    options.append('\n');
                }
                options.append(CStrings.toByteString(arg.substring(2))).append(' ');
                List<String> tokens = ArgSplitter.split(CStrings.toByteString(arg));
                if (tokens != null && tokens.size() == 1) {
                    // Only the option name, like "--port": its value comes in the next argument(s).
                    handledLastConfigArg = false;
                    boolean nextIsOption = !last && args.get(j + 1).startsWith("--");
                    if (nextIsOption && arg.equalsIgnoreCase("--save")) {
                        options.append("\"\""); // "--save --port 1" means save "" (pre-7.0 behaviour)
                        handledLastConfigArg = true;
                    } else if (last && arg.equalsIgnoreCase("--save")) {
                        options.append("\"\"");
                    } else if (nextIsOption && arg.equalsIgnoreCase("--sentinel")) {
                        handledLastConfigArg = true; // a pseudo option without value
                    }
                } else {
                    // Name and value(s) in one argument, like "--port 6380".
                    handledLastConfigArg = true;
                }
            } else {
                options.append(CStrings.repr(arg)).append(' ');
                handledLastConfigArg = true;
            }
        }
        return new CommandLine(null, stdin, options.toString());
    }
}
