// The toolbar popup: mounts ui/popup (all logic lives there).
import { render } from 'preact';
import { preparePage } from '../../ui/page';
import { Popup } from '../../ui/popup/Popup';
import '../../ui/theme.css';
import '../../ui/popup/popup.css';

preparePage('extName');
render(<Popup search={location.search} />, document.getElementById('app') as HTMLElement);
