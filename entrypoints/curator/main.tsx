// The curator's label form, opened in a small window by curator mode: mounts ui/curator.
import { render } from 'preact';
import { CuratorWindow } from '../../ui/curator/CuratorWindow';
import { preparePage } from '../../ui/page';
import '../../ui/theme.css';

preparePage('curatorTitle');
render(<CuratorWindow search={location.search} />, document.getElementById('app') as HTMLElement);
