// GitHub's combobox-nav: an ARIA combobox (aria-activedescendant) whose Enter clicks the active option.
import Combobox from '@github/combobox-nav'
window.Combobox = Combobox
