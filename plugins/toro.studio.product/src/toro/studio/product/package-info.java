/**
 * The Toro Studio product: branding and first-start set-up of the workspace.
 */
package toro.studio.product;
