/**
 * The toro command line: one command class per subcommand over the headless libraries.
 */
package toro.studio.cli;
