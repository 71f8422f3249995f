/**
 * Presentation of the Toro debug model: labels, adapters, launch tabs of the debugger.
 */
package toro.studio.debug.ui;
