/**
 * The engine in the manner of ninja: nodes (files), edges (commands), dependency files, the build log with command
 * hashes, the reasons a step runs, and the parallel scheduler that runs commands with atomic outputs.
 */
package toro.studio.build.graph;
