/**
 * The debug model on the Eclipse Debug Platform over the GDB/MI client: target, vCPU threads, frames, variables.
 */
package toro.studio.debug;
