// Start from a template: the gallery, the graph thumbnail it draws, and where templates come from.
export { GraphThumbnail, type GraphThumbnailProps } from './GraphThumbnail';
export { TemplateGallery, type TemplateGalleryProps } from './TemplateGallery';
export {
  bundledTemplatesApi,
  type Template,
  type TemplatesApi,
  templatesFromModules,
} from './templates-source';
export {
  CATEGORY_COLOURS,
  fallbackPositions,
  NODE_SIZE,
  type ThumbnailBox,
  type ThumbnailLayout,
  type ThumbnailLine,
  thumbnailLayout,
} from './thumbnail';
