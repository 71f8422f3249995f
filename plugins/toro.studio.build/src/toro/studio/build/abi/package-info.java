/**
 * The static ABI checker for NASM sources: a preprocessor for the directives the kernel uses, the routines of a
 * file, and a path-sensitive walk of each routine that checks callee-saved registers, stack balance and interrupt stubs.
 */
package toro.studio.build.abi;
