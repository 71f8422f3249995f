/**
 * Toro kernel projects in the workspace: the project nature, the incremental builder and its problem markers.
 */
package toro.studio.core;
