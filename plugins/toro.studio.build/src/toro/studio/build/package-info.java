/**
 * The build engine: a ninja-style graph of files and commands that builds the kernel tree described by toro.build.
 */
package toro.studio.build;
