// Swiper, as a shop bundles it: the whole library on window.Swiper.
import Swiper from 'swiper/bundle'
window.Swiper = Swiper
