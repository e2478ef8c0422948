import { render } from 'preact';
import '../theme.css';
import { Options } from './Options';

render(<Options />, document.getElementById('app')!);
