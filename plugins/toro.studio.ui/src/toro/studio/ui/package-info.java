/**
 * Toro Studio's workbench UI: the Toro perspective, views, editors, wizards and preferences.
 */
package toro.studio.ui;
