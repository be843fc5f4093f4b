// Embla Carousel, as a shop bundles it: on window.EmblaCarousel.
import EmblaCarousel from 'embla-carousel'
window.EmblaCarousel = EmblaCarousel
